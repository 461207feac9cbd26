"""The glossary's part of the demo data (`manage.py demo_data`): ten terms on
ACME-WMS, each one found in its requirements, minutes or issues, and ten on
HN-EMR in Chinese (with English where it is natural). Imported only by the demo
app, which is not installed in production."""

from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.glossary.services import term_create

# term, definition, other names
WMS_TERMS = [
    ("WMS", "Warehouse management system: the software that tells the warehouse what to "
     "receive, where to store it and what to pick.", ""),
    ("ASN", "Advance shipping notice: the supplier's message listing what a delivery holds, "
     "sent before it arrives.", "advance shipping notice"),
    ("SSCC", "Serial Shipping Container Code: the 18-digit number on a pallet's label that "
     "identifies that pallet and no other.", ""),
    ("SKU", "Stock keeping unit: one product in one packaging, with its own code.", "SKUs"),
    ("ERP", "Enterprise resource planning: Acme's business system, where sales orders start "
     "and invoices end.", ""),
    ("Pick list", "The list of lines a picker collects, in the order of the walk through the "
     "aisles.", "pick lists"),
    ("Wave picking", "Picking the orders of a group (a wave) together, so that each aisle is "
     "walked once for many orders.", "wave, waves"),
    ("Bin", "One numbered storage place on a shelf or rack; every item lives in a bin.", "bins"),
    ("Put-away", "Taking received goods from the dock to the bin where they are stored.", ""),
    ("Shift lead", "The person in charge of a warehouse shift, who hands out and moves work.",
     "shift leads"),
]  # fmt: skip

# term in Chinese, definition in Chinese, term in English, definition in English, other names
EMR_TERMS = [
    ("电子病历", "以电子方式记录的病历，取代纸质病历。", "EMR", "Electronic medical record.", ""),
    ("医院信息系统", "管理挂号、收费、药房等业务的系统。", "HIS",
     "Hospital information system: registration, billing, pharmacy.", ""),
    ("医嘱", "医生对患者治疗和护理的指示，如用药、检查。", "Medical order",
     "A doctor's instruction for a patient's treatment or care.", ""),
    ("医保", "基本医疗保险，患者费用由医保部门按规定结算。", "Medical insurance",
     "The public health insurance that settles part of a patient's costs.", "医疗保险"),
    ("结算单", "医院向医保部门上传的费用结算凭证。", "Settlement form",
     "The bill of a hospital stay, uploaded to the insurer for settlement.", ""),
    ("主诉", "患者就诊时自述的最主要症状及持续时间。", "Chief complaint",
     "The main symptom in the patient's own words, and for how long.", ""),
    ("现病史", "本次疾病从发生到就诊的经过。", "History of present illness", "", ""),
    ("门诊", "患者不住院、当天就诊的诊疗方式。", "Outpatient", "", ""),
    ("住院", "患者入住病房接受治疗。", "Inpatient", "", ""),
    ("可用率", "系统在一段时间内可以正常使用的时间占比。", "Availability",
     "The share of time the system can be used.", ""),
]  # fmt: skip


def load(world: DemoWorld) -> None:
    pm = world.people["pm"]
    wms, emr = world.projects["ACME-WMS"], world.projects["HN-EMR"]
    for term, definition, aliases in WMS_TERMS:
        term_create(project=wms, by=pm, term=term, definition=definition, aliases=aliases)
    for term_zh, definition_zh, term, definition, aliases in EMR_TERMS:
        term_create(
            project=emr,
            by=pm,
            term=term,
            term_zh=term_zh,
            definition=definition,
            definition_zh=definition_zh,
            aliases=aliases,
        )


registry.add(DemoStep("glossary", order=60, load=load))
