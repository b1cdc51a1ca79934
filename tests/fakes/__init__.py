"""In-memory fakes of the repositories (chalicelib/services/*_store / case_files …): the same
version and condition semantics as the DynamoDB implementations (chalicelib/domain/changes.py
decides both), no AWS. Use-case rules are tested on them in tests/unit/."""
