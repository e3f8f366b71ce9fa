-- Synthetic data for the timeline's query plans (bench/timeline_plans.py): 5,021 units, 3,000 users,
-- 1,000,000 change requests over five years, ~1.3 million decisions, four inspectors. Load into a
-- freshly migrated database of your own (never the shared scale data set), in one transaction:
--   psql -1 -v ON_ERROR_STOP=1 -f bench/timeline_synth.sql DB && psql -c "VACUUM ANALYZE" DB
SET session_replication_role = replica;
-- units: 1 + 20 + 200 + 4800
INSERT INTO units_unit (id, path, depth, numchild, code, name, kind, address, founding_decision_number, is_personnel_department, search_key)
VALUES (100000, '0001', 1, 20, 'R', 'Bộ', 'ministry', '', '', false, 'bo');
INSERT INTO units_unit (id, path, depth, numchild, code, name, kind, address, founding_decision_number, is_personnel_department, search_key)
SELECT 100000 + i, '0001' || lpad(i::text, 4, '0'), 2, 10, 'C' || i, 'Cục ' || i, 'agency', '', '', false, 'cuc ' || i FROM generate_series(1, 20) i;
INSERT INTO units_unit (id, path, depth, numchild, code, name, kind, address, founding_decision_number, is_personnel_department, search_key)
SELECT 101000 + (i - 1) * 10 + j, '0001' || lpad(i::text, 4, '0') || lpad(j::text, 4, '0'), 3, 24, 'C' || i || '.' || j, 'Chi cục ' || i || '.' || j, 'sub_agency', '', '', false, 'chi cuc ' || i || '.' || j
FROM generate_series(1, 20) i, generate_series(1, 10) j;
INSERT INTO units_unit (id, path, depth, numchild, code, name, kind, address, founding_decision_number, is_personnel_department, search_key)
SELECT 110000 + ((i - 1) * 10 + j - 1) * 24 + k, '0001' || lpad(i::text, 4, '0') || lpad(j::text, 4, '0') || lpad(k::text, 4, '0'), 4, 0, 'C' || i || '.' || j || '.' || k, 'Đội ' || i || '.' || j || '.' || k, 'branch', '', '', false, 'doi ' || i || '.' || j || '.' || k
FROM generate_series(1, 20) i, generate_series(1, 10) j, generate_series(1, 24) k;
-- users
INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
SELECT 100000 + i, '', false, 'u' || i, 'U', 'N' || i, '', false, true, now() FROM generate_series(1, 3000) i;
-- 1,000,000 change requests over five years, in the 4,800 leaf units and 200 Chi cục
INSERT INTO workflows_changerequest (id, reason, status, submitted_at, decision_comment, applied_at, employee_id, submitted_by_id, current_level, kind, operations, title, unit_id, subject_model, levels, touched, pending_unit_id, pending_since, search_key)
SELECT 1000000 + n, 'Lý do ' || n,
  (ARRAY['applied','applied','applied','applied','applied','applied','submitted','rejected','returned','withdrawn'])[1 + n % 10],
  timestamptz '2021-12-01' + (n::float / 1000000) * interval '5 years' + (random() * interval '1 hour'),
  '', NULL, 1 + (n * 7919) % 100000, 100001 + (n * 31) % 3000, 0, 'employee', '[]', 'Yêu cầu ' || n,
  CASE WHEN n % 25 = 0 THEN 101001 + (n / 25) % 200 ELSE 110001 + (n * 104729) % 4800 END,
  'records.employee', '[]',
  (ARRAY['["c:personal","f:records.employee.other_names","m:records.employee"]',
         '["c:position","f:records.employee.main_duties","m:records.employee"]',
         '["c:salary","m:records.salaryhistory","f:records.salaryhistory.salary_step"]',
         '["c:training","m:records.training"]',
         '["c:personal","f:records.employee.permanent_address","m:records.employee"]',
         '["c:reward_discipline","m:records.commendation"]',
         '["c:position","m:records.workhistory"]',
         '["c:salary","f:records.employee.salary_step","m:records.employee"]',
         '["c:personal","m:records.familymember"]',
         '["c:hire","m:records.employee"]'])[1 + (n * 13) % 10]::jsonb,
  -- the waiting ones (n % 10 = 6) wait at their unit since 2021 (the queue's columns)
  CASE WHEN n % 10 = 6 THEN CASE WHEN n % 25 = 0 THEN 101001 + (n / 25) % 200 ELSE 110001 + (n * 104729) % 4800 END END,
  CASE WHEN n % 10 = 6 THEN timestamptz '2021-12-01' END,
  'yeu cau ' || n
FROM generate_series(1::bigint, 1000000::bigint) n;
-- 1.5 million decisions: one for every request but the waiting ones, a second level for half
INSERT INTO workflows_approvaldecision (level, decision, comment, decided_at, change_request_id, decided_by_id, unit_id)
SELECT 0, 'approve', '', cr.submitted_at + interval '2 days', cr.id, 100001 + (cr.id * 17) % 3000, cr.unit_id
FROM workflows_changerequest cr WHERE cr.status <> 'submitted';
INSERT INTO workflows_approvaldecision (level, decision, comment, decided_at, change_request_id, decided_by_id, unit_id)
SELECT 1, 'approve', '', cr.submitted_at + interval '5 days', cr.id, 100001 + (cr.id * 23) % 3000, cr.unit_id
FROM workflows_changerequest cr WHERE cr.status = 'applied' AND cr.id % 2 = 0;
-- inspectors: of the root, of a Cục, of a Chi cục, of a leaf
INSERT INTO units_rolegrant (user_id, unit_id, role, valid_from, created_at, reason)
VALUES (100001, 100000, 'inspector', '2020-01-01', now(), 'bench'), (100002, 100001, 'inspector', '2020-01-01', now(), 'bench'),
       (100003, 101001, 'inspector', '2020-01-01', now(), 'bench'), (100004, 110001, 'inspector', '2020-01-01', now(), 'bench');
SET session_replication_role = origin;

