import os

# Fake credentials and a China region (aws-cn partition) before anything builds a client.
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "cn-north-1",
    "AWS_REGION": "cn-north-1", "AWS_XRAY_SDK_ENABLED": "false",
})
os.environ.pop("AWS_ENDPOINT_URL", None)
