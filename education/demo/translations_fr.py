"""French translations of the Ledgerly onboarding lessons and paths.

Bodies keep the English structure block for block: same block types, same number of steps,
same quiz answers (in the same order), same links and video URLs.
"""

from __future__ import annotations

from .blocks import fold, p, quiz, steps, tip, try_it, ul, video, warning


def _t(title: str, summary: str, body: list) -> dict:
    return {"title": title, "summary": fold(summary), "body": body}


# fmt: off
TRANSLATIONS_FR = {
    "lessons": {
        "set-up-your-business-profile": _t(
            "Configurer le profil de votre entreprise",
            """Saisissez une seule fois votre raison sociale, votre adresse, votre logo et votre
            numéro de TVA pour que chaque facture et chaque rapport soit juste dès le premier
            jour.""",
            [
                p("""Le profil de l'entreprise figure en tête de chaque document envoyé par
                Ledgerly. Vos clients le voient sur les factures, votre expert-comptable sur les
                exports et l'administration fiscale sur les déclarations de TVA. Dix minutes
                ici vous évitent de réémettre des factures plus tard."""),
                steps(
                    "Remplir votre profil",
                    ("Ouvrir le profil", """Cliquez sur l'icône d'engrenage, puis sur
                    <strong>Paramètres → Profil de l'entreprise</strong>."""),
                    ("Indiquer la raison sociale", """Saisissez le nom exact enregistré auprès
                    de l'administration. Mettez votre nom commercial, si vous en avez un, dans
                    <em>Nom affiché</em>."""),
                    ("Ajouter un numéro fiscal", """Saisissez votre numéro de TVA
                    intracommunautaire ou votre SIREN. Ledgerly l'imprime sur les factures et
                    propose des taux de TVA adaptés à votre pays."""),
                    ("Importer un logo", """Utilisez un PNG ou un SVG d'au moins 400 px de
                    large sur fond transparent ; il est adapté aux PDF et aux e-mails."""),
                    ("Définir l'exercice", """Choisissez le mois de début de votre exercice
                    comptable. Les rapports comme le compte de résultat s'en servent pour les
                    cumuls annuels."""),
                ),
                warning("""La devise de référence et le début de l'exercice sont verrouillés dès
                le premier paiement enregistré. Vérifiez-les avant d'envoyer quoi que ce
                soit."""),
                quiz(
                    "Quel réglage du profil ne peut plus être modifié après le premier paiement ?",
                    [
                        ("Votre logo", False),
                        ("Votre devise de référence", True),
                        ("Votre nom affiché", False),
                    ],
                    """La devise de référence sert de base à tous les soldes et rapports ;
                    Ledgerly la verrouille dès que de l'argent est enregistré. Le logo et les
                    noms restent modifiables à tout moment.""",
                ),
                try_it(
                    "Ouvrir le profil de l'entreprise",
                    "/settings/business-profile",
                    """Vérifiez votre raison sociale, votre numéro fiscal, votre devise et le
                    début de votre exercice.""",
                ),
            ],
        ),
        "create-your-first-invoice": _t(
            "Créer votre première facture",
            """Construisez une facture à partir d'un client, de lignes et de conditions de
            paiement, prévisualisez-la comme votre client la verra et enregistrez-la en
            brouillon.""",
            [
                p("""Une facture Ledgerly comporte trois parties : qui paie (le client), ce qu'il
                paie (les lignes) et quand (les conditions de paiement). Les brouillons restent
                privés : vous pouvez les préparer à votre rythme et les envoyer quand ils sont
                prêts."""),
                steps(
                    "Créer la facture",
                    ("Commencer une facture", """Allez dans <strong>Factures → Nouvelle
                    facture</strong>, ou appuyez sur <em>N</em> depuis la liste des
                    factures."""),
                    ("Choisir ou créer un client", """Tapez le nom du client. S'il est nouveau,
                    choisissez <em>Ajouter un client</em> et saisissez une adresse e-mail de
                    facturation ; les factures y sont envoyées."""),
                    ("Ajouter des lignes", """Saisissez une description, une quantité et un prix
                    unitaire pour chaque ligne. Enregistrez vos prestations courantes comme
                    produits pour que le prix se remplisse tout seul."""),
                    ("Choisir les conditions", """<em>30 jours</em> ou <em>45 jours fin de
                    mois</em> calcule l'échéance pour vous. Des délais courts accélèrent
                    généralement le paiement."""),
                    ("Prévisualiser et enregistrer", """Cliquez sur <strong>Aperçu</strong> pour
                    voir le PDF, puis sur <strong>Enregistrer le brouillon</strong>."""),
                ),
                video(
                    "https://www.youtube.com/watch?v=Lg7qInv0001",
                    "Créer et prévisualiser une facture en moins de deux minutes",
                    """Dans cette vidéo, nous créons une facture pour un nouveau client, Acme
                    Studio. Nous ajoutons deux lignes, une mission de design et une série de
                    retouches, choisissons un délai de 14 jours et ouvrons l'aperçu pour
                    vérifier le logo, le numéro de TVA et les totaux avant d'enregistrer le
                    brouillon.""",
                ),
                tip("""Le numéro de facture est attribué à l'envoi, pas à l'enregistrement du
                brouillon : supprimer un brouillon ne crée donc jamais de trou dans la
                numérotation, comme l'exige la loi française."""),
                quiz(
                    "Quand une facture reçoit-elle son numéro ?",
                    [
                        ("À l'enregistrement du brouillon", False),
                        ("À l'envoi, ou quand elle est marquée comme envoyée", True),
                        ("Quand le client la paie", False),
                    ],
                    """Les numéros sont attribués à l'envoi, ce qui garde une séquence continue
                    même si vous supprimez des brouillons.""",
                ),
                try_it(
                    "Créer une facture", "/invoices/new", "Commencez un brouillon pour un client."
                ),
            ],
        ),
        "send-invoices-and-track-status": _t(
            "Envoyer vos factures et suivre leur statut",
            """Envoyez une facture par e-mail ou partagez un lien, puis suivez-la d'Envoyée à
            Consultée puis Payée, et sachez ce que signifie vraiment En retard.""",
            [
                p("""Dès que vous cliquez sur <strong>Envoyer</strong>, Ledgerly adresse à votre
                client un lien vers une page de facture sécurisée, avec le PDF en pièce jointe.
                Chaque facture passe ensuite par quelques statuts simples, affichés sous forme
                de pastilles de couleur dans la liste des factures."""),
                ul(
                    "Ce que signifie chaque statut :",
                    "<strong>Envoyée</strong> : l'e-mail est parti et le numéro est attribué.",
                    "<strong>Consultée</strong> : votre client a ouvert la page au moins une fois.",
                    """<strong>Partiellement payée</strong> : une partie est arrivée ; le solde
                    est affiché.""",
                    "<strong>Payée</strong> : le montant total est enregistré.",
                    "<strong>En retard</strong> : l'échéance est passée et un solde reste dû.",
                ),
                tip("""Filtrez la liste sur <em>Consultée</em> et <em>En retard</em> à la fois :
                ces clients ont vu la facture sans la payer, et une relance personnelle et
                aimable fonctionne mieux sur eux qu'un rappel automatique."""),
                warning("""Si un envoi affiche <em>Rejeté</em>, l'adresse e-mail du client est
                erronée ou sa boîte est pleine. Corrigez l'adresse dans la fiche client et
                cliquez sur <em>Renvoyer</em> ; la facture garde son numéro."""),
                quiz(
                    """Une facture est Consultée mais pas Payée, et l'échéance est demain. Quel est
                    son statut ?""",
                    [
                        ("En retard", False),
                        ("Consultée et toujours dans les délais", True),
                        ("Rejetée", False),
                    ],
                    """Le statut En retard ne s'applique qu'après l'échéance. D'ici là, une
                    facture consultée attend simplement son paiement.""",
                ),
                try_it(
                    "Ouvrir les factures",
                    "/invoices?status=overdue",
                    "Voyez quelles factures sont en retard.",
                ),
            ],
        ),
        "accept-card-payments-online": _t(
            "Accepter les paiements par carte en ligne",
            """Connectez un prestataire de paiement pour que vos clients règlent par carte ou
            prélèvement depuis la page de la facture, et que les paiements se rapprochent
            tout seuls.""",
            [
                p("""Quand le paiement en ligne est activé, chaque e-mail de facture contient un
                bouton <strong>Payer maintenant</strong>. Votre client paie par carte, Apple Pay
                ou prélèvement SEPA, et Ledgerly marque la facture comme payée en enregistrant
                les frais du prestataire en dépense."""),
                steps(
                    "Connecter un prestataire",
                    ("Ouvrir les moyens de paiement", """Allez dans <strong>Paramètres → Moyens
                    de paiement</strong>."""),
                    ("Choisir un prestataire", """Choisissez Stripe ou GoCardless et cliquez
                    sur <em>Connecter</em>. Vous êtes redirigé vers le prestataire pour vous
                    connecter ou créer un compte."""),
                    ("Vérifier votre identité", """Les prestataires demandent une pièce
                    d'identité et un RIB avant le premier virement. Faites-le tout de suite :
                    les comptes non vérifiés cessent d'accepter les paiements au bout de
                    quelques jours."""),
                    ("Choisir les moyens proposés", """Activez la carte pour la rapidité et le
                    prélèvement pour les grosses factures, où les frais de carte
                    s'accumulent."""),
                ),
                warning("""Si la connexion affiche <em>Restreint</em>, le prestataire attend
                des informations. Les paiements échouent tant que vous ne les avez pas fournies
                depuis son tableau de bord, et vos clients voient un refus sans
                explication."""),
                tip("""Ne facturez de surcoût pour la carte que là où c'est légal. Dans l'UE et
                au Royaume-Uni, la surfacturation des paiements par carte des particuliers est
                en général interdite."""),
                quiz(
                    "Une connexion de paiement affiche Restreint. Quelle est la cause probable ?",
                    [
                        ("La carte du client a expiré", False),
                        ("Le prestataire attend des informations de vérification de votre part",
                         True),
                        ("Votre modèle de facture n'a pas de logo", False),
                    ],
                    """Restreint est un statut du compte chez le prestataire, souvent en attente
                    de vérification d'identité ou bancaire, et il bloque tous les paiements.""",
                ),
                try_it(
                    "Ouvrir les moyens de paiement",
                    "/settings/payment-methods",
                    "Connectez Stripe ou GoCardless et vérifiez le statut du compte.",
                ),
            ],
        ),
        "connect-your-bank": _t(
            "Connecter votre compte bancaire",
            """Reliez votre compte ou votre carte professionnels pour que les opérations
            arrivent chaque jour dans Ledgerly et que le rapprochement prenne quelques minutes
            au lieu de plusieurs heures.""",
            [
                p("""La synchronisation bancaire importe vos opérations automatiquement par une
                connexion sécurisée en lecture seule. Ledgerly ne voit jamais votre mot de passe
                bancaire et ne peut pas déplacer d'argent."""),
                steps(
                    "Ajouter une connexion",
                    ("Ouvrir les connexions bancaires", """Allez dans <strong>Paramètres →
                    Connexions bancaires</strong> et cliquez sur <strong>Ajouter une
                    banque</strong>."""),
                    ("Trouver votre banque", """Cherchez-la par son nom. Les espaces
                    professionnels et particuliers ont souvent des entrées distinctes ; prenez
                    celle où vous vous connectez."""),
                    ("Vous connecter et consentir", """Vous êtes redirigé vers votre banque
                    pour autoriser un accès en lecture seule, généralement pour 90 jours dans
                    l'UE."""),
                    ("Choisir les comptes et la date de départ", """Sélectionnez les comptes à
                    importer et une date de départ : le premier jour de la période que vous
                    n'avez pas encore rapprochée."""),
                ),
                video(
                    "https://www.youtube.com/watch?v=Lg7qBank002",
                    "Connecter un compte bancaire professionnel",
                    """Nous connectons un compte courant professionnel et une carte de crédit.
                    Après avoir donné notre accord à la banque, nous importons depuis le
                    premier du mois dernier et voyons les opérations apparaître en moins d'une
                    minute, prêtes à être rapprochées des factures et des dépenses.""",
                ),
                warning("""N'importez pas des dates que vous avez déjà saisies à la main, sinon
                chaque opération apparaîtra en double. Choisissez une date de départ après
                votre dernière saisie manuelle."""),
                quiz(
                    "Quelle date de départ choisir pour une nouvelle connexion bancaire ?",
                    [
                        ("La date d'ouverture du compte", False),
                        ("Le premier jour de la période pas encore rapprochée", True),
                        ("Aujourd'hui, toujours", False),
                    ],
                    """Partir de la fin de vos données déjà rapprochées évite les doublons et
                    les trous.""",
                ),
                try_it(
                    "Ouvrir les connexions bancaires",
                    "/settings/bank-connections",
                    "Ajoutez votre compte professionnel et choisissez une date de départ.",
                ),
            ],
        ),
        "record-expenses-and-receipts": _t(
            "Enregistrer vos dépenses et justificatifs",
            """Saisissez chaque dépense avec son justificatif, depuis l'application mobile ou
            par e-mail, pour ne rien perdre de déductible au moment des impôts.""",
            [
                p("""Chaque dépense enregistrée réduit votre bénéfice imposable, à condition de
                pouvoir la prouver. Ledgerly conserve l'image du justificatif à côté de la
                dépense : la preuve est là quand votre expert-comptable ou un contrôleur la
                demande."""),
                ul(
                    "Trois façons d'ajouter une dépense :",
                    """<strong>Application mobile</strong> : touchez <em>+ → Dépense</em> et
                    photographiez le ticket. Date, fournisseur et montant sont lus sur
                    l'image.""",
                    """<strong>E-mail</strong> : transférez vos justificatifs à votre adresse
                    privée, indiquée dans <strong>Dépenses → Boîte de réception</strong>.""",
                    """<strong>Web</strong> : <strong>Dépenses → Nouvelle dépense</strong>, puis
                    glissez un PDF sur le formulaire.""",
                ),
                tip("""Photographiez les tickets papier le jour même. Le papier thermique
                s'efface en quelques mois et un ticket blanc ne prouve rien."""),
                warning("""La lecture échoue sur les photos floues et sur les PDF qui
                contiennent plusieurs tickets. Si vous voyez <em>Justificatif illisible</em>,
                reprenez la photo à plat et bien éclairée, ou découpez le PDF."""),
                quiz(
                    "Où arrivent les justificatifs transférés par e-mail ?",
                    [
                        ("Dans Dépenses → Boîte de réception, prêts à être vérifiés", True),
                        ("Directement dans votre compte de résultat", False),
                        ("Dans vos connexions bancaires", False),
                    ],
                    """Les justificatifs transférés attendent dans la boîte de réception pour
                    que vous vérifiiez le montant et la catégorie avant qu'ils deviennent des
                    dépenses.""",
                ),
                try_it(
                    "Nouvelle dépense",
                    "/expenses/new",
                    "Enregistrez une dépense et joignez un justificatif.",
                ),
            ],
        ),
        "invite-your-team": _t(
            "Inviter votre équipe",
            """Ajoutez vos collaborateurs et votre expert-comptable avec les bons accès, pour
            que personne ne partage d'identifiants et que chaque modification soit
            traçable.""",
            [
                p("""Partager un identifiant masque qui a fait quoi et casse la piste d'audit.
                Chaque personne doit avoir son propre accès ; les offres Ledgerly incluent sans
                surcoût des accès en lecture seule et des accès expert-comptable
                illimités."""),
                steps(
                    "Inviter quelqu'un",
                    ("Ouvrir l'équipe", "Allez dans <strong>Paramètres → Équipe</strong>."),
                    ("Cliquer sur Inviter", """Saisissez son e-mail professionnel et choisissez
                    un rôle : Administrateur, Standard, Expert-comptable ou Lecture
                    seule."""),
                    ("Limiter l'accès si besoin", """Les utilisateurs Standard peuvent être
                    limités à certains clients ou comptes bancaires, pratique pour les agences
                    et les franchises."""),
                    ("La personne accepte", """Le lien d'invitation est valable 7 jours.
                    Renvoyez-le depuis la liste de l'équipe s'il a expiré."""),
                ),
                tip("""Donnez le rôle Administrateur à au moins deux personnes. Si votre seul
                administrateur part, récupérer le compte demande une vérification d'identité
                auprès du support et peut prendre plusieurs jours."""),
                quiz(
                    "Pourquoi avoir au moins deux administrateurs ?",
                    [
                        ("Pour ne pas perdre l'accès au compte si l'un d'eux part", True),
                        ("Parce que chaque facture demande deux validations", False),
                        ("Parce que les administrateurs coûtent moins cher", False),
                    ],
                    """Un second administrateur peut gérer l'abonnement, la sécurité et les
                    rôles si le premier n'est pas disponible.""",
                ),
                try_it(
                    "Ouvrir l'équipe",
                    "/settings/team",
                    "Invitez un collaborateur ou votre expert-comptable.",
                ),
            ],
        ),
        "profit-and-loss-basics": _t(
            "Lire votre compte de résultat",
            """Comprenez le compte de résultat ligne par ligne, passez de l'encaissement à
            l'engagement et comparez les périodes pour repérer les tendances.""",
            [
                p("""Le compte de résultat répond à une seule question : l'entreprise a-t-elle
                gagné de l'argent sur la période ? Ouvrez <strong>Rapports → Compte de
                résultat</strong>. Les produits sont en haut, puis le coût des ventes, la marge
                brute, les charges d'exploitation et le résultat net."""),
                ul(
                    "Trois réglages changent ce que vous voyez :",
                    """<strong>Période</strong> : ce mois-ci, le trimestre dernier ou l'exercice
                    en cours depuis son début.""",
                    """<strong>Méthode</strong> : l'<em>engagement</em> compte les factures à
                    leur émission ; l'<em>encaissement</em> les compte à leur paiement.""",
                    """<strong>Comparer</strong> : ajoutez la période précédente ou la même
                    période l'an dernier en colonnes supplémentaires.""",
                ),
                tip("""Utilisez l'encaissement pour comprendre votre solde bancaire et
                l'engagement pour comprendre votre activité. Un gros mois en engagement avec
                peu de trésorerie signifie que vos clients vous doivent de l'argent : regardez
                ensuite la balance âgée."""),
                quiz(
                    """Vous avez facturé 10 000 en mars et vos clients ont payé en avril. En
                    comptabilité d'encaissement, quand est-ce un produit ?""",
                    [
                        ("En mars", False),
                        ("En avril", True),
                        ("Réparti sur les deux mois", False),
                    ],
                    """La méthode de l'encaissement constate le produit à la réception de
                    l'argent, donc en avril. En engagement, il apparaîtrait en mars.""",
                ),
                try_it(
                    "Ouvrir le compte de résultat",
                    "/reports/profit-and-loss",
                    "Comparez ce trimestre au même trimestre de l'an dernier.",
                ),
            ],
        ),
        "set-up-tax-rates": _t(
            "Configurer les taux de TVA",
            """Créez les taux de TVA ou de taxe que vous appliquez, choisissez des valeurs par
            défaut sensées et assurez-vous que chaque ligne de facture porte la bonne
            taxe.""",
            [
                p("""Ledgerly propose les taux du pays indiqué dans votre profil, mais vous seul
                savez lesquels s'appliquent à ce que vous vendez. Bien les régler dès le départ
                garantit des déclarations de TVA exactes."""),
                steps(
                    "Configurer vos taux",
                    ("Ouvrir les taxes", "Allez dans <strong>Paramètres → Taxes</strong>."),
                    ("Passer en revue les taux proposés", """Gardez ceux que vous utilisez, par
                    exemple 20 % normal et 5,5 % réduit en France, et archivez les
                    autres."""),
                    ("Ajouter les taux nuls et exonérés", """Les exportations et certains
                    services exigent <em>0 %</em> ou <em>Exonéré</em> avec une mention légale ;
                    Ledgerly l'imprime sur la facture."""),
                    ("Définir les valeurs par défaut", """Choisissez un taux par défaut pour les
                    ventes et un pour les achats. Les articles et les clients peuvent les
                    remplacer."""),
                ),
                warning("""Modifier le pourcentage d'un taux n'affecte que les documents futurs.
                Quand l'État change un taux, créez un nouveau taux avec une date de début
                plutôt que de modifier l'ancien : vos factures passées restent justes."""),
                quiz(
                    "Le taux normal de TVA change le mois prochain. Que faire ?",
                    [
                        ("Modifier dès maintenant le pourcentage du taux existant", False),
                        ("Créer un nouveau taux qui commence à la date d'effet", True),
                        ("Retirer la TVA des factures jusqu'au changement", False),
                    ],
                    """Un nouveau taux daté bascule proprement et garde exactes les factures et
                    déclarations passées.""",
                ),
                try_it("Ouvrir les taxes", "/settings/taxes", "Vérifiez vos taux et vos défauts."),
            ],
        ),
    },
    "paths": {
        "first-week-with-ledgerly": {
            "title": "Votre première semaine avec Ledgerly",
            "intro": fold("""Huit leçons courtes pour passer d'un compte vide à l'envoi de
            factures, au paiement en ligne, à la synchronisation bancaire et à la lecture de
            votre premier rapport."""),
        },
        "getting-paid-faster": {
            "title": "Être payé plus vite",
            "intro": fold("""Réduisez le délai entre l'envoi d'une facture et l'encaissement :
            de meilleures factures, le paiement en ligne, les relances, les acomptes et un
            point hebdomadaire sur ce que l'on vous doit."""),
        },
        "tax-ready": {
            "title": "Prêt pour la TVA toute l'année",
            "intro": fold("""Configurez vos taxes une fois, capturez chaque dépense déductible
            et déclarez à partir de chiffres que vous savez expliquer, avec votre
            expert-comptable dans la boucle."""),
        },
        "month-end-close": {
            "title": "Clôture mensuelle",
            "intro": fold("""Une clôture sereine et reproductible : banques rapprochées,
            dépenses catégorisées, rapports fiables, période verrouillée et transmission propre
            à votre expert-comptable."""),
        },
    },
}
# fmt: on

__all__ = ["TRANSLATIONS_FR"]
