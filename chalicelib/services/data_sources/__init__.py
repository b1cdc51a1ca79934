"""Base data instead of paperwork (数据共享, 免填, 秒批) — one module per concern:

- queries: a purpose-bound query of a registry (adapters/registries.py), refused without
  its statement or the data subject's consent, logged in the subject's access log before
  it is made, and never failing its caller: a registry that is down answers "nothing",
  with a note;
- consents: the data subject's consent (授权) to an item's use of its data — given when
  applying, listed and revoked from /me;
- prefill: an application's form filled from data (`x-source`), each value with its
  source, and the token the application hands back so the case records the sources;
- facts: what instant approval's rules read of a case (registries, form, history).
"""
from .consents import give, mine, require, revoke
from .prefill import prefill, prefilled_in_application
from .queries import Answer, ask

__all__ = ["Answer", "ask", "give", "mine", "prefill", "prefilled_in_application",
           "require", "revoke"]
