"""Base data instead of paperwork (数据共享): the applicant's consents, its pre-filled form,
and instant approval's per-item switch."""
from chalice import Blueprint, Response

from .. import wiring
from ..contract import models
from ..domain import identity
from ..services import catalogue, data_sources, instant_approval
from ..services.data_sources import consents
from . import http

bp = Blueprint(__name__)

FOR_COMPANY = ("for", {"type": "string", "maxLength": 18}, False,
               "a company (USCC) the caller is an authorised agent of")


@http.route(bp, "GET", "/items/{code}/consent-terms", op="getConsentTerms",
            summary="what an applicant of the item is asked to consent to: the registries, "
                    "the fields read of them, the purpose (授权告知)", tag="data sharing",
            returns=models.ConsentTerms, errors=(422,), public=True)
def consent_terms(code):
    return consents.terms(catalogue.published_item(code))


@http.route(bp, "POST", "/me/consents", op="giveConsent",
            summary="consent to an item's use of my base data (or a company's I am an agent "
                    "of): given once per item version, again after a revocation",
            tag="data sharing",
            returns=models.Consent, status=201, body=models.ConsentRequest,
            roles=(identity.APPLICANT,), errors=(403, 422),
            also=((200, "given before: that consent (given again if it was revoked)"),))
def give_consent(caller, document):
    view, created = data_sources.give(caller, document)
    return Response(body=view, status_code=201 if created else 200)


@http.route(bp, "GET", "/me/consents", op="listMyConsents",
            summary="my consents to the use of my base data, newest first", tag="data sharing",
            returns=models.Consents, roles=(identity.APPLICANT,), errors=(403,),
            query=(FOR_COMPANY,))
def my_consents(caller):
    return data_sources.mine(caller, http.query_param(bp.current_request, "for"))


@http.route(bp, "POST", "/me/consents/{consent_id}/revoke", op="revokeConsent",
            summary="revoke a consent: no registry is asked on it from now on", tag="data sharing",
            returns=models.Consent, roles=(identity.APPLICANT,), errors=(403, 404),
            query=(FOR_COMPANY,))
def revoke_consent(consent_id, caller):
    return data_sources.revoke(caller, consent_id, http.query_param(bp.current_request, "for"))


@http.route(bp, "GET", "/items/{code}/prefill", op="prefillApplication",
            summary="the item's form filled from base data for me (or a company I am an "
                    "agent of): each value with its source, materials a registry record "
                    "stands in for, and notes on what could not be filled (免填)",
            tag="data sharing",
            returns=models.Prefill, roles=(identity.APPLICANT,), errors=(403, 422),
            query=(FOR_COMPANY, ("consent", {"type": "string", "pattern": "^C[0-9a-f]{32}$"},
                                 False, "the consent given to the item (POST /me/consents)")))
def prefill(code, caller):
    request = bp.current_request
    return data_sources.prefill(wiring.stores().licenses, caller, code,
                                http.query_param(request, "for"),
                                http.query_param(request, "consent"))


@http.route(bp, "GET", "/instant-approval/items", op="listInstantApprovalItems",
            summary="every published item whose version declares instant-approval rules "
                    "(秒批), with its switch", tag="data sharing",
            returns=models.InstantItems, roles=identity.STAFF)
def instant_items():
    return instant_approval.instant_items()


@http.route(bp, "GET", "/items/{code}/instant-approval", op="getInstantApprovalSwitch",
            summary="whether the item's instant approval (秒批) is on", tag="data sharing",
            returns=models.InstantSwitchState, roles=identity.STAFF, errors=(422,))
def instant_switch(code):
    return instant_approval.switch_state(code)


@http.route(bp, "PUT", "/items/{code}/instant-approval", op="setInstantApprovalSwitch",
            summary="turn the item's instant approval (秒批) off at once, or on again: "
                    "applications from now on go to people (off) or are checked by the "
                    "published version's rules (on)", tag="data sharing",
            returns=models.InstantSwitchState, body=models.InstantSwitch,
            roles=(identity.ADMIN, identity.SUPERVISOR), errors=(422,))
def set_instant_switch(code, caller, body):
    return instant_approval.set_switch(caller, code, body.enabled, body.reason)
