import os

from django.db import connection

# BENCH_SQL_LOG=path: each response's statements appended to that file too (cut to 300
# characters), to see what a step's count is made of (`bench/cycle.py --clients 1`).
SQL_LOG = os.environ.get("BENCH_SQL_LOG", "")


def query_count(get_response):
    """X-Bench-SQL: the statements run on the default connection while answering (bench only)."""

    def middleware(request):
        statements = []

        def counter(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Bench-SQL"] = str(len(statements))
        if SQL_LOG:
            lines = [f"### {request.method} {request.path} {response.status_code}: {len(statements)}"]
            lines += [" ".join(sql.split())[:300] for sql in statements]
            with open(SQL_LOG, "a") as log:
                log.write("\n".join(lines) + "\n")
        return response

    return middleware
