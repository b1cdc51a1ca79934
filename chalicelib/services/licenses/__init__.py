"""E-licenses (电子证照): issued signed by the region's KMS key when a case concludes, read
by their holders and the staff who read their cases, verified by anyone, suspended,
resumed, revoked and reissued by the issuing department; the keys they are verified with
(this region's published key set, and the keys it recognises). One module per concern:

- issuing: the document, signed and stored when a case concludes
- reading: the signed license, its printable page and public status
- copies: annotated copies (加注件) for one recipient
- acceptance: a license standing in for a material of an application
- verification: anyone verifies a signed license
- states: suspend, resume, revoke, reissue; revoked with its case
- keys: signing, the trust list, the published key set
- access, views: looking a license up and who may know of it; what it shows

This package's names, for the API and the other services:
"""
from .acceptance import accepted_in_case
from .copies import annotated_copy
from .issuing import VALID_YEARS, issue
from .keys import (
    check_trust_list,
    jwks,
    known_keys,
    own_keys,
    public_keys,
    region_keys,
    sign,
)
from .reading import get, printable, status_of
from .states import change_state, reissue, revoke_for_case
from .verification import verify
from .views import public_status, signed_license

__all__ = ["VALID_YEARS", "accepted_in_case", "annotated_copy", "change_state",
           "check_trust_list", "get", "issue", "jwks", "known_keys", "own_keys", "printable",
           "public_keys", "public_status", "region_keys", "reissue", "revoke_for_case", "sign",
           "signed_license", "status_of", "verify"]
