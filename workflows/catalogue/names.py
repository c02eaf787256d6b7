"""Hindi names of what the data names in English: the 75 districts and the steps of the flows (D89).

Scheme names, descriptions, form labels and checklist labels come in {"en", "hi"} pairs with the
scheme bundles; the districts table (workflows/data/up_districts.csv) and the BPMN files name
districts and steps in English only, so their Hindi names are kept here. A step is found by its
English name (the name its BPMN file gives it), so a step an administrator adds shows its own name
until it is added here. Page texts (roles, statuses, outcomes, document kinds) go through gettext.
"""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

DISTRICTS_CSV = Path(__file__).resolve().parents[1] / "data" / "up_districts.csv"

DISTRICTS_HI = {
    "AGR": "आगरा", "FRZ": "फ़िरोज़ाबाद", "MNP": "मैनपुरी", "MTR": "मथुरा", "ALG": "अलीगढ़", "ETA": "एटा",
    "HTR": "हाथरस", "KSG": "कासगंज", "AZM": "आज़मगढ़", "BAL": "बलिया", "MAU": "मऊ", "AYD": "अयोध्या",
    "ABN": "अम्बेडकर नगर", "AMT": "अमेठी", "BBK": "बाराबंकी", "SLP": "सुल्तानपुर", "BRL": "बरेली",
    "BDN": "बदायूँ", "PLB": "पीलीभीत", "SJP": "शाहजहाँपुर", "BST": "बस्ती", "SKN": "संत कबीर नगर",
    "SDN": "सिद्धार्थनगर", "BND": "बाँदा", "CKT": "चित्रकूट", "HMR": "हमीरपुर", "MHB": "महोबा",
    "GND": "गोंडा", "BRH": "बहराइच", "BLP": "बलरामपुर", "SRV": "श्रावस्ती", "GKP": "गोरखपुर",
    "DEO": "देवरिया", "KSN": "कुशीनगर", "MRJ": "महराजगंज", "JHS": "झाँसी", "JLN": "जालौन",
    "LLP": "ललितपुर", "KNP": "कानपुर नगर", "KND": "कानपुर देहात", "AUR": "औरैया", "ETW": "इटावा",
    "FRK": "फ़र्रुख़ाबाद", "KNJ": "कन्नौज", "LKO": "लखनऊ", "HRD": "हरदोई", "LKH": "लखीमपुर खीरी",
    "RBL": "रायबरेली", "STP": "सीतापुर", "UNN": "उन्नाव", "MRT": "मेरठ", "BGP": "बागपत",
    "BSR": "बुलंदशहर", "GBN": "गौतम बुद्ध नगर", "GZB": "ग़ाज़ियाबाद", "HPR": "हापुड़", "MZP": "मिर्ज़ापुर",
    "BHD": "भदोही (संत रविदास नगर)", "SBH": "सोनभद्र", "MBD": "मुरादाबाद", "AMR": "अमरोहा", "BJN": "बिजनौर",
    "RMP": "रामपुर", "SBL": "संभल", "PRY": "प्रयागराज", "FTP": "फ़तेहपुर", "KSM": "कौशाम्बी",
    "PRT": "प्रतापगढ़", "SRE": "सहारनपुर", "MZN": "मुज़फ़्फ़रनगर", "SHM": "शामली", "VNS": "वाराणसी",
    "CDL": "चंदौली", "GZP": "ग़ाज़ीपुर", "JNP": "जौनपुर",
}  # fmt: skip

STEPS_HI = {
    "DIC scrutiny": "जिला उद्योग केंद्र द्वारा संवीक्षा",
    "First appeal hearing": "प्रथम अपील की सुनवाई",
    "Loan disbursement": "ऋण वितरण",
    "Second appeal hearing": "द्वितीय अपील की सुनवाई",
    "DIC scrutiny and site inspection": "जिला उद्योग केंद्र द्वारा संवीक्षा एवं स्थल निरीक्षण",
    "DIC verification": "जिला उद्योग केंद्र द्वारा सत्यापन",
    "Provide clarification": "स्पष्टीकरण प्रस्तुत करें",
    "District task force interview": "जिला टास्क फोर्स द्वारा साक्षात्कार",
    "District committee recommendation": "जिला समिति की संस्तुति",
    "Bank appraisal and loan sanction": "बैंक द्वारा मूल्यांकन एवं ऋण स्वीकृति",
    "GM DIC sanction and release": "महाप्रबंधक, जिला उद्योग केंद्र द्वारा स्वीकृति एवं धनराशि अवमुक्ति",
    "GM DIC sanction": "महाप्रबंधक, जिला उद्योग केंद्र द्वारा स्वीकृति",
    "Record payment": "भुगतान दर्ज करें",
    "Technical appraisal of the DPR": "डीपीआर का तकनीकी मूल्यांकन",
    "Revise the DPR": "डीपीआर संशोधित करें",
    "State Level Committee approval": "राज्य स्तरीय समिति का अनुमोदन",
    "Release instalment": "किस्त अवमुक्त करें",
    "Submit utilisation certificate": "उपयोगिता प्रमाण-पत्र प्रस्तुत करें",
    "Verify utilisation certificate": "उपयोगिता प्रमाण-पत्र का सत्यापन",
    "Assign training batch": "प्रशिक्षण बैच आवंटित करें",
    "Record training attendance": "प्रशिक्षण उपस्थिति दर्ज करें",
    "GM DIC toolkit e-voucher": "महाप्रबंधक, जिला उद्योग केंद्र द्वारा टूलकिट ई-वाउचर",
}
_DISTRICT_CODES: dict[str, str] = {}


def district_in(value: str | None, language: str) -> str:
    """A district, given by its code or its English name, in `language` (the English name's own
    spelling in English: a code stays a code)."""
    if not value or language != "hi":
        return value or ""
    if value in DISTRICTS_HI:
        return DISTRICTS_HI[value]
    if not _DISTRICT_CODES:  # read once, on first use
        lines = (line for line in DISTRICTS_CSV.open(encoding="utf-8") if not line.startswith("#"))
        _DISTRICT_CODES.update({row["name"]: row["code"] for row in csv.DictReader(lines)})
    code = _DISTRICT_CODES.get(value)
    return DISTRICTS_HI.get(code, value) if code else value


def step_names(name: str | None) -> dict[str, str]:
    """A step's name in both languages, as a message's parameter."""
    return {"en": name or "", "hi": step_in(name, "hi")}


def step_in(name: str | None, language: str) -> str:
    return STEPS_HI.get(name or "", name or "") if language == "hi" else (name or "")

# Labels of the shipped flows' other elements (events, gateways, flows), as their diagrams show them.
LABELS_HI = {
    **STEPS_HI,
    "ODOP Margin Money": "ओडीओपी मार्जिन मनी", "ODOP Marketing Development Assistance": "ओडीओपी विपणन विकास सहायता",
    "ODOP Common Facility Centre": "ओडीओपी सामान्य सुविधा केंद्र",
    "ODOP Skill Development and Toolkit": "ओडीओपी कौशल विकास एवं टूलकिट",
    "Application submitted": "आवेदन जमा हुआ", "Claim submitted": "दावा जमा हुआ",
    "Proposal and DPR submitted": "प्रस्ताव एवं डीपीआर जमा हुए",
    "Reject": "अस्वीकार", "Return": "वापस", "Forward": "अग्रेषित", "Recommend": "संस्तुति", "Sanction": "स्वीकृति",
    "Approve": "स्वीकृत", "Accept": "स्वीकार", "Decline": "अस्वीकार", "Release": "अवमुक्ति", "Yes": "हाँ", "No": "नहीं",
    "Verified": "सत्यापित", "Completed": "पूर्ण", "Not completed": "पूर्ण नहीं", "Unskilled": "अकुशल",
    "Skilled (RPL)": "कुशल (आरपीएल)", "Not sanctioned": "स्वीकृत नहीं", "Not recommended": "संस्तुत नहीं",
    "Not approved": "स्वीकृत नहीं", "Sanctioned?": "स्वीकृत?", "Scrutiny outcome?": "संवीक्षा का परिणाम?",
    "Recommended?": "संस्तुत?", "Verified?": "सत्यापित?", "Verification outcome?": "सत्यापन का परिणाम?",
    "Skilled?": "कुशल?", "Loan sanctioned?": "ऋण स्वीकृत?", "Instalment still due?": "किस्त अभी शेष?",
    "Certificate accepted?": "प्रमाण-पत्र स्वीकृत?", "Attended 8 days?": "8 दिन उपस्थित?", "Approved?": "स्वीकृत?",
    "Appraisal outcome?": "मूल्यांकन का परिणाम?",
    "Appeal (UP Janhit Guarantee Adhiniyam 2011)": "अपील (उ.प्र. जनहित गारंटी अधिनियम 2011)",
    "Appeal under the UP Janhit Guarantee Adhiniyam 2011": "उ.प्र. जनहित गारंटी अधिनियम 2011 के अंतर्गत अपील",
    "Disbursed": "वितरित", "Not disbursed": "वितरित नहीं", "Loan disbursed?": "ऋण वितरित?",
    "Loan not disbursed": "ऋण वितरित नहीं हुआ",
    "Appeal filed": "अपील दायर", "Which appeal?": "कौन-सी अपील?", "First appeal": "प्रथम अपील",
    "Second appeal": "द्वितीय अपील", "Order?": "आदेश?", "Allow": "स्वीकार", "Dismiss": "खारिज",
    "First appeal allowed": "प्रथम अपील स्वीकृत", "First appeal dismissed": "प्रथम अपील खारिज",
    "Second appeal allowed": "द्वितीय अपील स्वीकृत", "Second appeal dismissed": "द्वितीय अपील खारिज",
    "Rejected at verification": "सत्यापन पर अस्वीकृत", "Rejected at scrutiny": "संवीक्षा पर अस्वीकृत",
    "Rejected at appraisal": "मूल्यांकन पर अस्वीकृत", "Training not completed": "प्रशिक्षण पूर्ण नहीं",
    "Loan declined": "ऋण अस्वीकृत", "Toolkit value": "टूलकिट का मूल्य", "Toolkit e-voucher issued": "टूलकिट ई-वाउचर जारी",
    "Reimbursement paid": "प्रतिपूर्ति का भुगतान", "Record release": "अवमुक्ति दर्ज करें", "Plan instalments": "किस्तें तय करें",
    "Margin money released": "मार्जिन मनी अवमुक्त", "Grant released": "अनुदान अवमुक्त",
    "Compute reimbursement": "प्रतिपूर्ति की गणना", "Compute margin money": "मार्जिन मनी की गणना",
    "Compute grant": "अनुदान की गणना",
}  # fmt: skip
_NAMED = re.compile(r'<((?:bpmn:)?(?!property\b)[A-Za-z]+)(\s[^>]*?)?\sname="([^"]*)"')


def diagram_in(xml: str, language: str, lanes: dict[str, str]) -> str:
    """A process's BPMN XML with the names its diagram shows in `language` (lanes by role); the
    properties the engine reads (spiffworkflow:property) are left as they are. Only for showing.
    Lanes, named by role id in the files (`gm_dic`), show the office in every language."""
    labels = LABELS_HI if language == "hi" else {}

    def named(found: re.Match) -> str:
        name = html.unescape(found.group(3))
        said = labels.get(name) or lanes.get(name)
        if not said:
            return found.group(0)
        return f'<{found.group(1)}{found.group(2) or ""} name="{html.escape(said, quote=True)}"'

    return _NAMED.sub(named, xml)


# The districts' ODOP products in Hindi (their English names are data: up_districts.csv).
PRODUCTS_HI = {
    'Aluminium utensils': 'एल्युमीनियम के बर्तन',
    'Ankle bells (ghungroo)': 'घुँघरू',
    'Aonla processing': 'आँवला प्रसंस्करण',
    'Applique work and patchwork': 'एप्लिक एवं पैचवर्क',
    'Asafoetida (hing)': 'हींग',
    'Banana fibre products': 'केले के रेशे के उत्पाद',
    'Banarasi silk saree': 'बनारसी रेशमी साड़ी',
    'Bed covers': 'बेड कवर',
    'Bindi': 'बिंदी',
    'Black pottery': 'काली मिट्टी के बर्तन',
    'Brass products': 'पीतल के उत्पाद',
    'Brassware': 'पीतल के बर्तन',
    'Carpets': 'कालीन',
    'Ceramic products': 'सिरेमिक उत्पाद',
    'Chikankari': 'चिकनकारी',
    'Decorative products': 'सजावटी उत्पाद',
    'Durries': 'दरी',
    'Engineering goods': 'इंजीनियरिंग सामान',
    'Flute (bansuri)': 'बाँसुरी',
    'Food processing (banana)': 'खाद्य प्रसंस्करण (केला)',
    'Food processing (desi ghee)': 'खाद्य प्रसंस्करण (देसी घी)',
    'Food processing (pulses)': 'खाद्य प्रसंस्करण (दालें)',
    'Footwear (jooti)': 'जूती',
    'Furniture': 'फर्नीचर',
    'Gaura stone craft': 'गौरा पत्थर शिल्प',
    'Glassware': 'काँच के सामान',
    'Handicrafts (horn and bone)': 'सींग एवं हड्डी हस्तशिल्प',
    'Handloom': 'हथकरघा',
    'Handmade paper': 'हस्तनिर्मित कागज़',
    'Home furnishing': 'गृह सज्जा',
    'Iron art': 'लौह शिल्प',
    'Jaggery (gur)': 'गुड़',
    'Jute wall hangings': 'जूट वॉल हैंगिंग',
    'Kala namak rice': 'काला नमक चावल',
    'Leather products': 'चमड़ा उत्पाद',
    'Locks and hardware': 'ताले एवं हार्डवेयर',
    'Metal craft': 'धातु शिल्प',
    'Moonj products': 'मूंज उत्पाद',
    'Musical instruments (dholak)': 'वाद्य यंत्र (ढोलक)',
    'Perfume (itra)': 'इत्र',
    'Powerloom textiles': 'पावरलूम वस्त्र',
    'Readymade garments': 'सिले-सिलाए वस्त्र',
    'Sanitary fittings': 'सैनिटरी फिटिंग',
    'Shajar stone craft': 'शजर पत्थर शिल्प',
    'Soft toys': 'सॉफ्ट खिलौने',
    'Sports goods': 'खेल का सामान',
    'Tarkashi art': 'तारकशी कला',
    'Terracotta': 'टेराकोटा',
    'Textile printing': 'वस्त्र छपाई',
    'Textile products': 'वस्त्र उत्पाद',
    'Tribal crafts': 'जनजातीय शिल्प',
    'Wheat stalk handicraft': 'गेहूँ के डंठल का हस्तशिल्प',
    'Wood craft': 'काष्ठ शिल्प',
    'Wood work': 'लकड़ी का काम',
    'Wooden toys': 'लकड़ी के खिलौने',
    'Woollen carpets (durries)': 'ऊनी कालीन (दरी)',
    'Zari silk saree': 'ज़री रेशमी साड़ी',
    'Zari-zardozi': 'ज़री-ज़रदोज़ी',
}


def product_in(name: str, language: str) -> str:
    return PRODUCTS_HI.get(name, name) if language == "hi" else name
