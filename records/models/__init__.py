"""Models of the personnel file, the salary table and the read and export logs; one module per group."""

from .accounts import EmployeeAccount
from .audit import AccessLog, ExportLog, ReadAlert
from .employee import Employee, citizen_id_validator, rank_code_validator
from .exports import ExportJob
from .salary import SalaryRank, SalaryTable
from .subrecords import (
    SUBRECORD_MODELS,
    Commendation,
    Discipline,
    EmploymentContract,
    Evaluation,
    FamilyMember,
    NonCountedPeriod,
    Probation,
    RetirementDecision,
    SalaryHistory,
    Training,
    WorkHistory,
)

__all__ = [
    "AccessLog",
    "ExportLog",
    "ExportJob",
    "ReadAlert",
    "Employee",
    "EmployeeAccount",
    "citizen_id_validator",
    "rank_code_validator",
    "SalaryRank",
    "SalaryTable",
    "SUBRECORD_MODELS",
    "Commendation",
    "Discipline",
    "EmploymentContract",
    "Evaluation",
    "FamilyMember",
    "NonCountedPeriod",
    "Probation",
    "RetirementDecision",
    "SalaryHistory",
    "Training",
    "WorkHistory",
]
