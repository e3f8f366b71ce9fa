from django.db import connection


def query_count(get_response):
    """X-Bench-SQL: the statements run on the default connection while answering (bench only)."""

    def middleware(request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Bench-SQL"] = str(count)
        return response

    return middleware
