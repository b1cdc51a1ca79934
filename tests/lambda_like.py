"""What Lambda hands a function, for running one as Lambda would (the packaged-function
tests, the tracing test, bench/cold_start.py)."""

# A trace header as Lambda sets it for a sampled invocation: the X-Ray SDK makes its
# subsegments under it (sent over UDP to a daemon that is not there: nothing waits).
TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

# API Gateway's proxy event of GET /health: no headers, query or body; no AWS call.
HEALTH_EVENT = {
    "resource": "/health", "path": "/health", "httpMethod": "GET", "headers": {},
    "multiValueHeaders": {}, "pathParameters": None, "queryStringParameters": None,
    "multiValueQueryStringParameters": None, "stageVariables": None, "body": None,
    "isBase64Encoded": False, "requestContext": {
        "resourcePath": "/health", "httpMethod": "GET", "requestId": "r-1", "stage": "v1"}}
