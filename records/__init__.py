"""The personnel record (hồ sơ cán bộ) and its history; written only by approved requests."""
