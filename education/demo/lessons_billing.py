"""Ledgerly lessons: getting started, invoices, payments and recurring billing."""

from __future__ import annotations

from .blocks import lesson, note, p, quiz, steps, tip, try_it, ul, video, warning

# fmt: off
LESSONS_BILLING = [
    lesson(
        "set-up-your-business-profile",
        "Set up your business profile",
        """Add your legal name, address, logo and tax number once, so every invoice, quote and
        report Ledgerly produces is correct from day one.""",
        minutes=3,
        level="beginner",
        features=["invoices", "taxes"],
        body=[
            p("""Your business profile is the header of every document Ledgerly sends. Clients
            see it on invoices, your accountant sees it on exports, and tax authorities see it
            on VAT and sales-tax reports. Ten minutes here saves you from re-issuing invoices
            later."""),
            steps(
                "Fill in your profile",
                ("Open the profile", """Click the gear icon, then <strong>Settings → Business
                profile</strong>."""),
                ("Use your legal name", """Enter the registered name exactly as it appears with
                your tax authority. Put a trading name, if you have one, in <em>Display
                name</em>."""),
                ("Add a tax number", """Enter your VAT, GST or EIN number. Ledgerly prints it on
                invoices and uses your country to suggest default tax rates."""),
                ("Upload a logo", """Use a PNG or SVG at least 400 px wide with a transparent
                background; it is scaled for PDFs and emails."""),
                ("Set the fiscal year", """Choose the month your financial year starts. Reports
                such as profit and loss use it for year-to-date figures."""),
            ),
            warning("""Your base currency and fiscal year start are locked once you record the
            first payment. Double-check both before you send anything."""),
            quiz(
                "Which profile setting can no longer be changed after your first payment?",
                [
                    ("Your logo", False),
                    ("Your base currency", True),
                    ("Your display name", False),
                ],
                """The base currency anchors every balance and report, so Ledgerly locks it once
                money has been recorded. Logos and names can change at any time.""",
            ),
            try_it(
                "Open Business profile",
                "/settings/business-profile",
                "Review your legal name, tax number, base currency and fiscal year start.",
            ),
        ],
    ),
    lesson(
        "create-your-first-invoice",
        "Create your first invoice",
        """Build an invoice from a client, line items and payment terms, preview it as your
        client will see it, and save it as a draft.""",
        minutes=4,
        level="beginner",
        features=["invoices"],
        prerequisites=["set-up-your-business-profile"],
        body=[
            p("""An invoice in Ledgerly has three parts: who pays (the client), what they pay
            for (line items) and when (payment terms). Drafts are private, so you can build one
            at your own pace and send it when it is ready."""),
            steps(
                "Create the invoice",
                ("Start a new invoice", """Go to <strong>Invoices → New invoice</strong>, or
                press <em>N</em> anywhere on the Invoices page."""),
                ("Pick or create a client", """Type the client's name. If they are new, choose
                <em>Add client</em> and enter a billing email; invoices are sent there."""),
                ("Add line items", """Enter a description, quantity and unit price for each item.
                Save items you bill often as products so the price fills in next time."""),
                ("Choose payment terms", """<em>Net 14</em> or <em>Net 30</em> sets the due
                date for you. Shorter terms usually mean faster payment."""),
                ("Preview and save", """Click <strong>Preview</strong> to see the PDF, then
                <strong>Save draft</strong>."""),
            ),
            video(
                "https://www.youtube.com/watch?v=Lg7qInv0001",
                "Creating and previewing an invoice in under two minutes",
                """In this video we create an invoice for a new client, Acme Studio. We add two
                line items, a design retainer and an extra revision round, set Net 14 terms, and
                open the preview to check the logo, tax number and totals before saving the
                draft.""",
            ),
            tip("""Invoice numbers are assigned when you send, not when you save a draft, so
            deleting drafts never leaves gaps in your numbering."""),
            quiz(
                "When does an invoice get its number?",
                [
                    ("When you save the draft", False),
                    ("When you send or mark it as sent", True),
                    ("When the client pays it", False),
                ],
                """Numbers are allocated on sending, which keeps the sequence gap-free even if
                you delete drafts.""",
            ),
            try_it("Create an invoice", "/invoices/new", "Start a draft invoice for a client."),
        ],
    ),
    lesson(
        "customize-invoice-templates",
        "Customize invoice templates",
        """Make invoices look like your brand: colours, fonts, which columns appear, and the
        footer text that tells clients how to pay.""",
        minutes=3,
        level="beginner",
        features=["invoices"],
        prerequisites=["create-your-first-invoice"],
        body=[
            p("""Templates control how invoices look, not what they contain. You can keep
            several, for example one with hourly columns for consulting and one with product
            SKUs for physical goods, and choose per client which one is used."""),
            steps(
                "Edit a template",
                ("Open templates", "Go to <strong>Settings → Invoice templates</strong>."),
                ("Duplicate the default", """Click <em>Duplicate</em> on the default template
                rather than editing it, so you always have a clean fallback."""),
                ("Choose columns", """Turn on <em>Hours</em> and <em>Rate</em> for time-based
                work, or <em>SKU</em> for products. Hidden columns are still stored."""),
                ("Write a footer", """Add bank details, a thank-you line or late-payment terms.
                Keep it under three lines so it fits on one page."""),
                ("Assign it", """Open a client, choose <em>Default template</em>, and pick the
                new template for all of their future invoices."""),
            ),
            note("""Changing a template does not alter invoices that were already sent. Their
            PDFs are frozen at the moment of sending, as tax rules in most countries
            require."""),
            quiz(
                "You edit a template after sending ten invoices with it. What happens?",
                [
                    ("The ten sent invoices are updated too", False),
                    ("Only invoices created or sent from now on use the new look", True),
                    ("Ledgerly asks each client to accept the change", False),
                ],
                """Sent invoices are immutable documents. Template changes affect drafts and
                future invoices only.""",
            ),
            try_it(
                "Open Invoice templates",
                "/settings/invoice-templates",
                "Duplicate the default template and try a new accent colour.",
            ),
        ],
    ),
    lesson(
        "send-invoices-and-track-status",
        "Send invoices and track their status",
        """Send an invoice by email or share a link, then follow it from Sent to Viewed to
        Paid, and know what Overdue really means.""",
        minutes=3,
        level="beginner",
        features=["invoices"],
        prerequisites=["create-your-first-invoice"],
        body=[
            p("""Once you click <strong>Send</strong>, Ledgerly emails your client a link to a
            secure invoice page with a PDF attached. Every invoice then moves through a simple
            set of statuses, shown as coloured badges in the Invoices list."""),
            ul(
                "What each status means:",
                "<strong>Sent</strong>: the email left Ledgerly and the number is assigned.",
                "<strong>Viewed</strong>: your client opened the invoice page at least once.",
                "<strong>Partially paid</strong>: some money arrived; the balance is shown.",
                "<strong>Paid</strong>: the full amount is recorded.",
                "<strong>Overdue</strong>: the due date passed with a balance remaining.",
            ),
            tip("""Filter the Invoices list by <em>Viewed</em> and <em>Overdue</em> together:
            these clients saw the invoice but have not paid, and a friendly personal nudge
            works better on them than an automated reminder."""),
            warning("""If a send shows <em>Bounced</em>, the client's email address is wrong or
            their mailbox is full. Fix the address on the client record and click
            <em>Resend</em>; the invoice keeps its number."""),
            quiz(
                "An invoice shows Viewed but not Paid, and the due date is tomorrow. What is it?",
                [
                    ("Overdue", False),
                    ("Viewed and still within terms", True),
                    ("Bounced", False),
                ],
                """Overdue only applies after the due date passes. Until then a viewed invoice
                is simply waiting for payment.""",
            ),
            try_it("Open Invoices", "/invoices?status=overdue", "See which invoices are overdue."),
        ],
    ),
    lesson(
        "automatic-payment-reminders",
        "Automatic payment reminders",
        """Turn on polite, scheduled reminders before and after the due date so you stop
        chasing payments by hand.""",
        minutes=4,
        level="intermediate",
        features=["invoices", "payments"],
        prerequisites=["send-invoices-and-track-status"],
        body=[
            p("""Most late payments are forgotten, not disputed. Ledgerly can send reminders on
            a schedule you choose, and stops automatically as soon as the invoice is paid, so
            nobody gets chased for money they already sent."""),
            steps(
                "Set up a reminder schedule",
                ("Open reminders", "Go to <strong>Settings → Reminders</strong>."),
                ("Add a gentle pre-due reminder", """Three days before the due date works well:
                it arrives while there is still time to pay on schedule."""),
                ("Add follow-ups", """Add reminders at 3, 10 and 21 days overdue. Make each one
                a little firmer, and mention late fees only in the last."""),
                ("Personalise the text", """Use placeholders such as <em>{client_first_name}</em>
                and <em>{amount_due}</em>; the payment link is added automatically."""),
            ),
            tip("""Accounts that add a pay-by-card link to reminders are paid, on average, about
            a week sooner. Connect online payments first if you have not already."""),
            note("""You can pause reminders for a single client, for example while you agree on
            a payment plan, from the client's page under <em>Reminders</em>."""),
            quiz(
                "Which statements about reminders are true?",
                [
                    ("They stop automatically once the invoice is paid", True),
                    ("They can be paused for one client", True),
                    ("They are sent even after the invoice is voided", False),
                    ("They must be sent manually each time", False),
                ],
                """Reminders follow the invoice status: payment or voiding stops them, and a
                per-client pause is available for negotiated plans.""",
            ),
            try_it("Open Reminders", "/settings/reminders", "Build your reminder schedule."),
        ],
    ),
    lesson(
        "credit-notes-and-voiding",
        "Credit notes and voiding invoices",
        """Fix a sent invoice the right way: void it when it should never have existed, or issue
        a credit note when you need to reduce what the client owes.""",
        minutes=4,
        level="intermediate",
        features=["invoices"],
        prerequisites=["send-invoices-and-track-status"],
        body=[
            p("""Once an invoice is sent you cannot edit its amounts, because the client and
            your tax records already hold a copy. Ledgerly gives you two clean ways to correct
            it instead, and picking the right one keeps your books and your client's books in
            agreement."""),
            ul(
                "Choose between them:",
                """<strong>Void</strong> when the invoice was a mistake from the start, such as
                the wrong client or a duplicate. It stays in the list, struck through, with a
                zero balance.""",
                """<strong>Credit note</strong> when the sale happened but the client should pay
                less, for example a discount agreed afterwards or a returned item.""",
            ),
            steps(
                "Issue a credit note",
                ("Open the invoice", "Find it in <strong>Invoices</strong> and open it."),
                ("Choose Credit", """Click <strong>More → Create credit note</strong> and enter
                the amount or select the lines to credit."""),
                ("Apply or refund", """Apply the credit to this invoice, keep it on the client's
                account for the next one, or record a refund."""),
            ),
            warning("""Voiding an invoice that has payments recorded is blocked. Remove or
            reassign the payment first, otherwise the money would have nowhere to go."""),
            quiz(
                "A client returns one of three items after paying. What should you do?",
                [
                    ("Void the invoice and create a new one", False),
                    ("Issue a credit note for the returned item and refund it", True),
                    ("Edit the invoice amount", False),
                ],
                """The sale really happened, so the invoice stays. A credit note reduces what
                was owed and the refund returns the money.""",
            ),
        ],
    ),
    lesson(
        "accept-card-payments-online",
        "Accept card payments online",
        """Connect a payment processor so clients can pay invoices by card or bank debit from
        the invoice page, and payments reconcile themselves.""",
        minutes=5,
        level="beginner",
        features=["payments"],
        prerequisites=["create-your-first-invoice"],
        body=[
            p("""When online payments are on, every invoice email includes a <strong>Pay
            now</strong> button. Your client pays by card, Apple Pay or bank debit, and Ledgerly
            marks the invoice paid and records the processor fee as an expense for you."""),
            steps(
                "Connect a processor",
                ("Open payment methods", "Go to <strong>Settings → Payment methods</strong>."),
                ("Pick a processor", """Choose Stripe or GoCardless and click
                <em>Connect</em>. You will be sent to the processor to sign in or create an
                account."""),
                ("Verify your identity", """Processors ask for ID and bank details before the
                first payout. Finish this now; unverified accounts stop taking payments after
                a few days."""),
                ("Choose which methods to offer", """Turn on cards for speed, and bank debit for
                large invoices where card fees add up."""),
            ),
            warning("""If the connection shows <em>Restricted</em>, the processor needs more
            information. Payments fail until you complete it from the processor's dashboard,
            and your clients see a declined payment, not a helpful message."""),
            tip("""Set a surcharge rule only where it is legal in your country. In the EU and UK
            surcharging consumer card payments is generally not allowed."""),
            quiz(
                "A payment connection shows Restricted. What is the most likely cause?",
                [
                    ("The client's card expired", False),
                    ("The processor needs more verification information from you", True),
                    ("Your invoice template is missing a logo", False),
                ],
                """Restricted is a processor account status, usually waiting for identity or
                bank verification, and it blocks all payments until resolved.""",
            ),
            try_it(
                "Open Payment methods",
                "/settings/payment-methods",
                "Connect Stripe or GoCardless and check the account status.",
            ),
        ],
    ),
    lesson(
        "record-manual-payments",
        "Record manual payments",
        """Record cheques, cash and bank transfers against invoices so balances, reminders and
        reports stay accurate.""",
        minutes=3,
        level="beginner",
        features=["payments"],
        prerequisites=["create-your-first-invoice"],
        body=[
            p("""Not every client pays through the Pay now button. When money arrives another
            way, record it in Ledgerly; otherwise the invoice stays open, reminders keep going
            out and your receivables report overstates what you are owed."""),
            steps(
                "Record a payment",
                ("Open the invoice", "Find the invoice and click <strong>Record payment</strong>."),
                ("Enter the details", """Enter the date the money arrived, the amount and the
                method: bank transfer, cheque or cash."""),
                ("Pick the deposit account", """Choose the bank account it landed in. This is
                what lets bank sync match it later instead of creating a duplicate."""),
                ("Save", "The status changes to Paid or Partially paid straight away."),
            ),
            tip("""If you connect your bank, you often do not need to record transfers at all:
            Ledgerly suggests a match when the deposit appears, and you confirm it with one
            click."""),
            warning("""Do not record a payment and also accept the bank match as a new
            payment. Confirm the suggested match instead, or the invoice will show as
            overpaid."""),
            quiz(
                "Why does the deposit account matter when recording a manual payment?",
                [
                    ("It changes the invoice number", False),
                    ("It lets bank sync match the deposit instead of duplicating it", True),
                    ("It decides which reminder is sent next", False),
                ],
                """Ledgerly matches bank lines to recorded payments in the same account; the
                wrong account leaves the deposit unmatched.""",
            ),
        ],
    ),
    lesson(
        "partial-payments-and-deposits",
        "Partial payments and deposits",
        """Ask for a deposit up front, accept instalments, and keep the remaining balance
        visible to you and your client.""",
        minutes=4,
        level="intermediate",
        features=["payments", "invoices"],
        prerequisites=["record-manual-payments"],
        body=[
            p("""Large projects are easier to sell, and safer to deliver, with a deposit. In
            Ledgerly a deposit is simply a first payment against an invoice, or a separate
            deposit invoice that is credited on the final bill."""),
            ul(
                "Two ways to take a deposit:",
                """<strong>Deposit request on the invoice</strong>: tick <em>Request
                deposit</em> and enter a percentage. The client pays that part now and the
                rest by the due date.""",
                """<strong>Separate deposit invoice</strong>: better when the final amount is
                unknown. When you bill the work, choose <em>Apply deposit</em> and the deposit
                is deducted automatically.""",
            ),
            p("""Instalments work the same way: each payment you record or receive online
            reduces the balance, and reminders mention only the amount still due."""),
            note("""Deposits received before the work is done may count as unearned revenue in
            accrual accounting. Check the <em>Deposits held</em> line on your balance sheet
            with your accountant."""),
            quiz(
                "When is a separate deposit invoice the better choice?",
                [
                    ("When the final amount of the project is not yet known", True),
                    ("When the client wants to pay everything at once", False),
                    ("When you do not use online payments", False),
                ],
                """A separate deposit invoice can be raised before you know the final total,
                then applied to whatever the final invoice turns out to be.""",
            ),
            try_it("Create an invoice", "/invoices/new?deposit=1", "Try requesting a 30% deposit."),
        ],
    ),
    lesson(
        "handle-failed-payments",
        "Handle failed card payments",
        """Understand why card payments fail, what your client sees, and how to get paid
        anyway without awkward emails.""",
        minutes=5,
        level="intermediate",
        features=["payments"],
        prerequisites=["accept-card-payments-online"],
        body=[
            p("""A failed payment is not always a problem with the client's card. Open the
            payment from <strong>Payments → Failed</strong> and read the decline reason; it
            tells you who needs to act."""),
            ul(
                "Common decline reasons and what to do:",
                """<strong>insufficient_funds</strong>: the client should retry later or use
                another card. Send the invoice link again in a few days.""",
                """<strong>authentication_required</strong>: the bank wanted 3-D Secure and the
                client closed the window. Ask them to pay again from the link.""",
                """<strong>processor_account_restricted</strong>: the problem is yours. Finish
                verification under <strong>Settings → Payment methods</strong>.""",
                """<strong>currency_not_supported</strong>: enable the invoice currency in your
                processor dashboard, or invoice in a supported currency.""",
            ),
            tip("""Ledgerly emails the client automatically after a decline with a link to try
            again. Do not send your own email on top; two messages about one failure feel
            pushy."""),
            warning("""Repeated retries with the same card can trigger the bank's fraud
            checks. After two failures, ask for a different method such as bank debit."""),
            quiz(
                "A payment failed with processor_account_restricted. Who needs to act?",
                [
                    ("The client, by using another card", False),
                    ("You, by completing verification with your processor", True),
                    ("Nobody; it retries automatically", False),
                ],
                """A restricted processor account blocks every payment, whichever card the
                client uses, until you complete the processor's checks.""",
            ),
            try_it("Open failed payments", "/payments?status=failed", "Review recent declines."),
        ],
    ),
    lesson(
        "set-up-recurring-invoices",
        "Set up recurring invoices",
        """Bill retainers and subscriptions automatically on a schedule, with or without
        charging a saved card.""",
        minutes=4,
        level="beginner",
        features=["recurring-billing"],
        prerequisites=["create-your-first-invoice"],
        body=[
            p("""A recurring profile is a template plus a schedule. On each billing date Ledgerly
            creates an invoice from it and either emails it or, if the client saved a card or
            mandate, charges it and sends a receipt."""),
            steps(
                "Create a recurring profile",
                ("Start a subscription", "Go to <strong>Subscriptions → New</strong>."),
                ("Choose the client and items", """Pick the client and add line items as you
                would on a normal invoice, for example a monthly retainer."""),
                ("Set the schedule", """Choose the frequency and first billing date. Use the 1st
                of the month for retainers so every client is billed together."""),
                ("Pick auto-charge or email", """With <em>Auto-charge</em> the saved payment
                method is charged; otherwise an invoice is emailed for payment."""),
                ("Set an end", "Leave it open-ended or end after a number of cycles."),
            ),
            tip("""Send the first invoice manually with <em>Save card for future
            payments</em> ticked. Clients who save a card on the first payment rarely need
            reminders afterwards."""),
            quiz(
                "What does Auto-charge need in order to work?",
                [
                    ("A saved card or bank mandate for the client", True),
                    ("An enterprise plan", False),
                    ("A custom invoice template", False),
                ],
                """Auto-charge uses the client's saved payment method; without one, Ledgerly
                falls back to emailing the invoice.""",
            ),
            try_it("New subscription", "/subscriptions/new", "Create a monthly retainer."),
        ],
    ),
    lesson(
        "manage-subscription-changes",
        "Upgrades, downgrades and proration",
        """Change a client's subscription mid-cycle and understand exactly how Ledgerly prorates
        the difference.""",
        minutes=5,
        level="intermediate",
        features=["recurring-billing"],
        prerequisites=["set-up-recurring-invoices"],
        body=[
            p("""Clients rarely stay on the same plan forever. When you change the quantity or
            price of a subscription in the middle of a billing period, Ledgerly can prorate:
            charge or credit only for the days remaining."""),
            ul(
                "The three proration options on <strong>Edit subscription</strong>:",
                """<strong>Prorate now</strong>: an invoice or credit for the difference is
                created immediately.""",
                """<strong>Prorate on next invoice</strong>: the difference is added as a line
                on the next regular invoice. Best for small changes.""",
                """<strong>No proration</strong>: the new price starts at the next billing
                date. Simple, and common for downgrades.""",
            ),
            p("""Example: a client on a 300 USD monthly plan upgrades to 450 USD halfway through
            a 30-day month. With proration they owe 75 USD for the remaining 15 days: half of
            the 150 USD difference."""),
            warning("""Changing the billing date also triggers proration. If you only want to
            move the date, choose <em>No proration</em> or the client may see an unexpected
            small invoice."""),
            quiz(
                """A client upgrades from 200 to 260 USD a month with 10 of 30 days left. What
                does Prorate now charge?""",
                [
                    ("20 USD", True),
                    ("60 USD", False),
                    ("260 USD", False),
                ],
                """The difference is 60 USD a month; a third of the month remains, so the
                prorated charge is 20 USD.""",
            ),
            try_it("Open Subscriptions", "/subscriptions", "Edit a subscription's quantity."),
        ],
    ),
    lesson(
        "recover-failed-recurring-charges",
        "Recover failed recurring charges",
        """Configure smart retries and dunning emails so expired cards do not quietly cancel
        your recurring revenue.""",
        minutes=6,
        level="advanced",
        features=["recurring-billing", "payments"],
        prerequisites=["manage-subscription-changes", "handle-failed-payments"],
        body=[
            p("""Involuntary churn, where a subscription lapses because a card expired or was
            declined, often costs more revenue than customers who actually cancel. Ledgerly's
            dunning settings decide how hard it tries before giving up."""),
            steps(
                "Configure dunning",
                ("Open dunning", "Go to <strong>Settings → Subscriptions → Dunning</strong>."),
                ("Turn on smart retries", """Retries are spread over up to 21 days and timed for
                when the card's bank is most likely to approve, such as just after
                payday."""),
                ("Write the emails", """Send a card-update link after the first failure and a
                firmer notice before the final retry. Keep the first one friendly: most
                clients simply did not notice the card expired."""),
                ("Decide the final action", """After the last retry, choose to pause the
                subscription, cancel it, or leave the invoice open as overdue."""),
            ),
            tip("""Turn on <em>Card updater</em> in your processor settings. Networks then send
            new expiry dates automatically and many failures never happen."""),
            warning("""Cancelling after the final retry also stops future invoices. For
            clients on annual contracts, <em>leave open as overdue</em> is usually the safer
            choice."""),
            quiz(
                "Which settings reduce involuntary churn?",
                [
                    ("Smart retries spread over several days", True),
                    ("A friendly card-update email after the first failure", True),
                    ("Cancelling the subscription after the first decline", False),
                ],
                """Retries and card-update links recover most failed charges; cancelling at the
                first decline throws away revenue you could have kept.""",
            ),
            try_it(
                "Open Dunning settings",
                "/settings/subscriptions/dunning",
                "Turn on smart retries and review your card-update email.",
            ),
        ],
    ),
]
# fmt: on

__all__ = ["LESSONS_BILLING"]
