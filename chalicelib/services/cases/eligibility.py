"""Who may apply for whom, by which channel, for which item — the checks an application
passes before anything is written (in the order their errors have always come)."""
from ...domain import identity
from ...domain import materials as material_rules
from ...domain.applications import Application
from ...domain.catalogue import validate_form
from ...domain.errors import Forbidden, UnprocessableEntity
from ...domain.masking import mask_id

AUDIENCES = {"natural": "natural persons", "legal": "legal persons"}


def agent_of(principal: identity.Principal, application: Application) -> dict | None:
    """The agent an applicant applies as (代办: for a company it is an authorised agent
    of), None when it applies in its own name or a clerk enters it at the counter.

    An applicant applies in its own name or as such an agent, never in another person's;
    only a clerk uses the counter channel, and a clerk uses no other (the applicant
    there, not the clerk, owns the case)."""
    if principal.role == identity.APPLICANT and not principal.id_number:
        # An applicant's identity comes only from the token: without its ID number there
        # is no telling whose application this is.
        raise Forbidden("the token names no ID number (claim idn): sign in with a "
                        "verified identity to apply", field="Authorization")
    agent = None
    if principal.role == identity.APPLICANT and \
            principal.id_number != application.applicant["idNumber"]:
        if application.applicant["type"] != "legal" or \
                application.applicant["idNumber"] not in principal.acts_for:
            raise Forbidden("applicants apply in their own name, or for a company they are "
                            "an authorised agent of", field="applicant.idNumber")
        # 代办: the company is the holder, the natural person its agent.
        agent = {"sub": principal.sub, "name": principal.name,
                 "idNumber": mask_id(principal.id_number)}
    if (application.channel == "counter") != (principal.role == identity.CLERK):
        # Every channel is in the document; who may use which is the caller's role's.
        raise UnprocessableEntity("a clerk enters an application at the counter (channel "
                                  "counter) for its applicant; only a clerk uses that "
                                  "channel", field="channel")
    return agent


def check_item(principal: identity.Principal, item: dict, application: Application,
               by_data: frozenset[str] = frozenset()) -> None:
    """The item takes this application: its audience, its form, the identity's assurance
    level, every mandatory material (online; `by_data`: those a registry record stands in
    for)."""
    if application.applicant["type"] not in item.get("audience", ()):
        raise UnprocessableEntity(
            f"the item is for {' and '.join(AUDIENCES[a] for a in item['audience'])} only",
            field="applicant.type")
    validate_form(item.get("formSchema", {}), application.form)
    if principal.role == identity.APPLICANT and principal.assurance < item.get("minAssurance", 1):
        raise Forbidden(f"the item needs an identity verified to level "
                        f"{item['minAssurance']}; this sign-in is level "
                        f"{principal.assurance}", field="Authorization",
                        code="assurance_too_low")
    missing = material_rules.missing_at_submission(
        item, {m["name"] for m in application.materials} | by_data, application.channel)
    if missing:
        raise UnprocessableEntity(f"the item is applied for online with every "
                                  f"mandatory material: {'、'.join(missing)} missing",
                                  field="materials", code="material_not_accepted")
