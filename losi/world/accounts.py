"""The personal account of a portal with sign-in (#246), and the page in it that changes one's
own details (#247), per language.

Every portal with a sign-in (the "e-id" feature) has an account area: that is what signing in
is for. It is a page of the portal, linked from the menus as portals link theirs ('My account',
'Mi cuenta', 'Личный кабинет', '个人中心'), listing what a resident finds there (applications,
appointments, documents: links into the account, on the city's sign-in host, which the world does
not serve). About two thirds of those accounts also let the resident change their own details,
with a link from the account page; the others only show them (the decoy: 'Your details', read
only). The wording is not copied from the detectors' lexicons.
"""

from __future__ import annotations

# language -> ((slug, label), (slug, other label)): the account page, as extras.SECTIONS
ACCOUNT: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "en": (("my-account", "My account"), ("your-account", "Your council account")),
    "es": (("mi-cuenta", "Mi cuenta"), ("area-personal", "Mi área personal")),
    "fr": (("mon-compte", "Mon compte"), ("espace-usager", "Mon espace usager")),
    "pt": (("area-pessoal", "Área pessoal"), ("balcao-virtual", "Balcão virtual: a minha área")),
    "de": (("mein-konto", "Mein Konto"), ("buergerkonto", "Mein Bürgerkonto")),
    "ru": (("lichnyy-kabinet", "Личный кабинет"), ("kabinet", "Личный кабинет жителя")),
    "ar": (("my-account", "حسابي"), ("personal-account", "الحساب الشخصي")),
    "zh": (("grzx", "个人中心"), ("wdzh", "我的账户")),
}

# language -> (what the account holds: three entries, none of them a payment (that is #269a's); the link that changes one's details;
# the read-only view an account without it shows)
INSIDE: dict[str, tuple[tuple[str, str, str], str, str]] = {
    "en": (("Your applications", "Your appointments", "Your documents"),
           "Update your contact details", "Your details (as registered)"),
    "es": (("Mis solicitudes", "Mis citas previas", "Mis documentos"),
           "Modificar mis datos", "Mis datos (consulta)"),
    "fr": (("Mes demandes", "Mes rendez-vous", "Mes documents"),
           "Modifier mes informations personnelles", "Mes informations (consultation)"),
    "pt": (("Os meus pedidos", "As minhas marcações", "Os meus documentos"),
           "Alterar os meus dados", "Os meus dados (consulta)"),
    "de": (("Meine Anträge", "Meine Terminbuchungen", "Meine Dokumente"),
           "Persönliche Daten ändern", "Meine Daten (Ansicht)"),
    "ru": (("Мои заявления", "Мои записи на приём", "Мои документы"),
           "Изменить личные данные", "Мои данные (просмотр)"),
    "ar": (("طلباتي", "مواعيدي", "مستنداتي"),
           "تعديل بياناتك الشخصية", "بياناتي (عرض فقط)"),
    "zh": (("我的申请", "我的预约", "我的证照"), "修改个人信息", "我的信息（仅查看）"),
}

# The about page of a portal without information about the municipality (#217): it tells of the
# website (who runs it, how it is built), not of the city. (A portal with it: lang.py's 'about'
# section, 'About the city', 'La ciudad', 'Stadtporträt', 'О городе', '走进城市' ...)
ABOUT_SITE: dict[str, tuple[str, str]] = {
    "en": ("about-this-website", "About this website"),
    "es": ("sobre-esta-web", "Sobre esta web"),
    "fr": ("a-propos-du-site", "À propos du site"),
    "pt": ("sobre-o-portal", "Sobre o portal"),
    "de": ("ueber-diese-website", "Über diese Website"),
    "ru": ("o-portale", "О портале"),
    "ar": ("about-portal", "عن البوابة"),
    "zh": ("gywz", "关于本网站"),
}
