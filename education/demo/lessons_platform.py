"""Ledgerly lessons: multi-currency, taxes, team and roles, SSO, API and webhooks."""

from __future__ import annotations

from .blocks import code, lesson, note, p, quiz, steps, tip, try_it, ul, video, warning

# fmt: off
LESSONS_PLATFORM = [
    lesson(
        "add-foreign-currencies",
        "Invoice in foreign currencies",
        """Enable the currencies your clients pay in, invoice them in their own currency, and
        see everything converted back to your base currency.""",
        minutes=3,
        level="beginner",
        features=["multi-currency"],
        prerequisites=["create-your-first-invoice"],
        body=[
            p("""Clients pay faster when the invoice is in their own currency. Ledgerly lets you
            invoice in over 140 currencies while your books stay in your base currency, the one
            set in your business profile."""),
            steps(
                "Enable a currency",
                ("Open currencies", "Go to <strong>Settings → Currencies</strong>."),
                ("Add the currency", """Click <em>Add currency</em> and pick, for example, USD
                or CHF. It becomes available on invoices, bills and bank accounts."""),
                ("Set a client default", """On the client record, set <em>Currency</em> so new
                invoices for that client start in it."""),
                ("Check the payment side", """Make sure your payment processor and bank account
                can receive that currency, or conversion fees will surprise you."""),
            ),
            note("""Each invoice stores the exchange rate of its issue date. Reports show the
            base-currency value at that rate until the payment arrives at the actual
            rate."""),
            quiz(
                "Which exchange rate does Ledgerly store on a new foreign-currency invoice?",
                [
                    ("The rate on the invoice's issue date", True),
                    ("The rate on the day the client pays", False),
                    ("A fixed yearly average", False),
                ],
                """The issue-date rate values the receivable; the difference when payment
                arrives is recorded as a currency gain or loss.""",
            ),
            try_it("Open Currencies", "/settings/currencies", "Add the currencies you invoice in."),
        ],
    ),
    lesson(
        "exchange-rates-and-overrides",
        "Exchange rates and manual overrides",
        """Know where Ledgerly's daily rates come from, when to override a rate, and how to
        record a payment received at a different rate.""",
        minutes=4,
        level="intermediate",
        features=["multi-currency"],
        prerequisites=["add-foreign-currencies"],
        body=[
            p("""Ledgerly fetches mid-market rates every day at 16:00 CET from the European
            Central Bank and commercial feeds. That is right for most invoices, but sometimes
            the rate that matters is the one your bank actually gave you."""),
            ul(
                "When to override a rate:",
                """A contract fixes the rate, for example <em>1 EUR = 1.08 USD for
                2024</em>.""",
                """Your tax authority requires its own published rate, as some countries do for
                VAT amounts.""",
                """You record a payment and your bank converted at a different rate; enter the
                amount that actually arrived.""",
            ),
            steps(
                "Record a payment at the bank's rate",
                ("Record payment", "Open the invoice and click <strong>Record payment</strong>."),
                ("Enter both amounts", """Enter the foreign amount paid and the base amount that
                reached your account. Ledgerly derives the effective rate."""),
                ("Let the difference post", """The difference from the invoice rate is posted to
                <em>Realised currency gains and losses</em> automatically."""),
            ),
            warning("""Do not edit the invoice rate to make a payment fit. That hides the
            currency loss in your revenue figures and misstates both."""),
            quiz(
                """Your bank converted a payment at a worse rate than the invoice. What should
                you do?""",
                [
                    ("Edit the invoice's exchange rate", False),
                    ("Record the amount received; the difference posts as a currency loss", True),
                    ("Write off the difference as a bad debt", False),
                ],
                """Recording the real amount keeps revenue at the invoice rate and puts the
                conversion difference where it belongs.""",
            ),
        ],
    ),
    lesson(
        "realized-and-unrealized-fx-gains",
        "Realised and unrealised currency gains",
        """Understand the two kinds of currency gains, run a month-end revaluation, and read
        them correctly on your profit and loss.""",
        minutes=6,
        level="advanced",
        features=["multi-currency", "reports"],
        prerequisites=["exchange-rates-and-overrides", "profit-and-loss-basics"],
        body=[
            p("""When you hold foreign-currency balances, their value in your base currency
            moves with the exchange rate. Accounting separates two cases, and Ledgerly reports
            them on separate lines."""),
            ul(
                "",
                """<strong>Realised</strong> gains or losses happen when money actually changes
                hands: an invoice is paid at a different rate than it was issued.""",
                """<strong>Unrealised</strong> gains or losses are paper movements on balances
                still open at period end: unpaid invoices, foreign bank accounts, bills.""",
            ),
            steps(
                "Run a revaluation",
                ("Open revaluation", """Go to <strong>Reports → Currency revaluation</strong>
                and choose the period end date."""),
                ("Review the rates", """Check the closing rates. Override them if your
                accountant uses a specific source."""),
                ("Post it", """Ledgerly posts a journal for the unrealised difference and
                reverses it automatically on the first day of the next period."""),
            ),
            tip("""Run the revaluation after reconciling and before locking the period, as part
            of your month-end close."""),
            quiz(
                "Which of these create an unrealised currency gain or loss?",
                [
                    ("An unpaid USD invoice at month end", True),
                    ("A EUR balance in a foreign bank account at month end", True),
                    ("A USD invoice paid in full last week", False),
                ],
                """Open balances at period end are revalued, producing unrealised differences.
                A paid invoice has already produced a realised one.""",
            ),
            try_it(
                "Open Currency revaluation",
                "/reports/currency-revaluation",
                "Preview last month's unrealised gains and losses.",
            ),
        ],
    ),
    lesson(
        "set-up-tax-rates",
        "Set up tax rates",
        """Create the sales tax, VAT or GST rates you charge, pick sensible defaults, and make
        sure every invoice line carries the right tax.""",
        minutes=4,
        level="beginner",
        features=["taxes"],
        prerequisites=["set-up-your-business-profile"],
        body=[
            p("""Ledgerly suggests rates for the country in your business profile, but only you
            know which apply to what you sell. Getting this right at the start keeps every tax
            return accurate."""),
            steps(
                "Configure your rates",
                ("Open taxes", "Go to <strong>Settings → Taxes</strong>."),
                ("Review suggested rates", """Keep the rates you use, for example 20% standard
                and 5.5% reduced in France, and archive the rest."""),
                ("Add zero and exempt rates", """Exports and some services need <em>0%</em> or
                <em>Exempt</em> with a legal mention; Ledgerly prints it on the invoice."""),
                ("Set defaults", """Pick a default rate for sales and one for purchases. Items
                and clients can override them."""),
            ),
            warning("""Changing a rate's percentage affects only future documents. When a
            government changes a rate, create a new rate with a start date instead of editing
            the old one, so past invoices stay correct."""),
            quiz(
                "Your country's standard VAT rate changes next month. What is the right move?",
                [
                    ("Edit the existing rate's percentage now", False),
                    ("Create a new rate that starts on the effective date", True),
                    ("Remove tax from invoices until the change", False),
                ],
                """A new dated rate switches over cleanly and keeps historical invoices and
                returns accurate.""",
            ),
            try_it("Open Taxes", "/settings/taxes", "Review your tax rates and defaults."),
        ],
    ),
    lesson(
        "eu-vat-and-reverse-charge",
        "EU VAT and the reverse charge",
        """Invoice business clients in other EU countries correctly: validate VAT numbers, apply
        the reverse charge, and report the sales.""",
        minutes=6,
        level="intermediate",
        features=["taxes", "multi-currency"],
        prerequisites=["set-up-tax-rates"],
        body=[
            p("""When you sell services to a VAT-registered business in another EU country, you
            usually do not charge VAT; the client accounts for it under the
            <em>reverse charge</em>. Ledgerly automates this once the client's VAT number is
            verified."""),
            steps(
                "Invoice an EU business client",
                ("Add their VAT number", """On the client record, enter the VAT number with its
                country prefix, such as <em>DE123456789</em>."""),
                ("Let Ledgerly verify it", """The number is checked against the EU VIES service
                and the result is stored with a timestamp as evidence."""),
                ("Invoice as usual", """Lines get the <em>Reverse charge</em> rate at 0% and the
                legal mention is printed automatically."""),
                ("Report the sale", """Reverse-charge sales appear on your VAT return and on the
                EC Sales List report."""),
            ),
            warning("""If VIES is down or the number is invalid, Ledgerly applies your normal
            VAT rate. Do not remove VAT by hand: without a verified number, you are liable for
            the VAT if the client turns out not to be a business."""),
            note("""Selling to consumers in other EU countries follows different rules, the
            One-Stop Shop. Turn on <em>OSS</em> under <strong>Settings → Taxes</strong> if your
            cross-border consumer sales exceed 10,000 EUR a year."""),
            quiz(
                "When does Ledgerly apply the reverse charge automatically?",
                [
                    ("For any client outside your country", False),
                    ("For EU business clients with a verified VAT number", True),
                    ("For every invoice in a foreign currency", False),
                ],
                """The reverse charge depends on a verified business VAT number, not on the
                client's location or the invoice currency.""",
            ),
        ],
    ),
    lesson(
        "prepare-a-tax-return-report",
        "Prepare your VAT or sales-tax return",
        """Use the tax return report to check every figure, fix the usual mistakes before you
        file, and mark the period as filed.""",
        minutes=6,
        level="advanced",
        features=["taxes", "reports"],
        prerequisites=["set-up-tax-rates", "profit-and-loss-basics"],
        body=[
            p("""The tax return report groups every taxable transaction in a period into the
            boxes your tax authority asks for. Open <strong>Reports → Tax return</strong> and
            choose the period; each box links to the transactions behind it."""),
            steps(
                "Check before you file",
                ("Reconcile first", """Unreconciled bank lines often hide purchases with
                reclaimable tax. Clear them before the report."""),
                ("Scan for missing tax", """Filter for expenses with no tax rate. Most are
                bank fees, which are usually exempt, but some are missed receipts."""),
                ("Compare with last period", """A box that changed by more than half usually
                means a wrong default rate, not a sudden change in your business."""),
                ("Mark as filed", """After filing, click <em>Mark as filed</em>. The period is
                locked for tax so later edits go into the next return."""),
            ),
            tip("""Download the detailed report as XLSX and keep it with your filing
            confirmation. If you are ever audited, it shows exactly which transactions made up
            each box."""),
            quiz(
                "What does Mark as filed do?",
                [
                    ("Submits the return to the tax authority", False),
                    ("Locks the period so later changes fall into the next return", True),
                    ("Deletes the transactions in the period", False),
                ],
                """Ledgerly does not file for you in every country; marking as filed protects
                the submitted figures from later edits.""",
            ),
            try_it("Open Tax return", "/reports/tax-return", "Review the current period's boxes."),
        ],
    ),
    lesson(
        "invite-your-team",
        "Invite your team",
        """Add teammates and your accountant with the right access, so nobody shares a login
        and every change is traceable.""",
        minutes=2,
        level="beginner",
        features=["team-roles"],
        body=[
            p("""Sharing one login hides who did what and breaks the audit trail. Each person
            should have their own seat; Ledgerly plans include unlimited read-only seats and
            accountant seats at no charge."""),
            steps(
                "Invite someone",
                ("Open team settings", "Go to <strong>Settings → Team</strong>."),
                ("Click Invite", """Enter their work email and pick a role: Admin, Standard,
                Accountant or Read-only."""),
                ("Limit access if needed", """Standard users can be restricted to certain
                clients or bank accounts, useful for agencies and franchises."""),
                ("They accept", """The invitation link is valid for 7 days. Resend it from the
                team list if it expires."""),
            ),
            tip("""Give Admin to at least two people. If your only admin leaves, recovering the
            account takes an identity check with support and can take days."""),
            quiz(
                "Why should you have at least two admins?",
                [
                    ("So the account is not locked out if one admin leaves", True),
                    ("Because invoices need two approvals", False),
                    ("Admins are cheaper than standard seats", False),
                ],
                """A second admin can manage billing, security and roles if the first one is
                unavailable.""",
            ),
            try_it("Open Team", "/settings/team", "Invite a teammate or your accountant."),
        ],
    ),
    lesson(
        "roles-and-permissions",
        "Roles and permissions",
        """Choose between built-in roles or create custom ones, and apply least privilege
        without blocking people from their work.""",
        minutes=4,
        level="intermediate",
        features=["team-roles"],
        prerequisites=["invite-your-team"],
        body=[
            p("""Every action in Ledgerly is covered by a permission: view reports, create
            invoices, approve bills, manage bank connections, change settings. Roles bundle
            permissions so you assign them once per person."""),
            ul(
                "The built-in roles:",
                "<strong>Admin</strong>: everything, including billing, security and roles.",
                """<strong>Standard</strong>: day-to-day work on invoices, expenses and banking,
                without settings.""",
                """<strong>Accountant</strong>: everything financial, including journals and
                lock dates, without billing or team management.""",
                "<strong>Read-only</strong>: see everything, change nothing.",
            ),
            p("""On Growth and Enterprise plans you can create custom roles under
            <strong>Settings → Team → Roles</strong>, for example <em>Sales</em>: create
            invoices and see clients, but no reports or bank data."""),
            warning("""When someone hits <em>You don't have permission</em>, resist making them
            an Admin. Check which permission the message names and add just that to a custom
            role."""),
            quiz(
                "A sales rep needs to create invoices but not see bank balances. What fits best?",
                [
                    ("Admin", False),
                    ("A custom role with invoice permissions only", True),
                    ("Read-only", False),
                ],
                """A custom role grants exactly the invoice permissions without exposing
                banking. Read-only cannot create invoices.""",
            ),
            try_it("Open Roles", "/settings/team/roles", "Create a custom role."),
        ],
    ),
    lesson(
        "approval-workflows",
        "Approval workflows for bills and expenses",
        """Require approval above a threshold, route requests to the right approver, and keep a
        record of who approved what.""",
        minutes=5,
        level="advanced",
        features=["team-roles", "expenses"],
        prerequisites=["roles-and-permissions", "record-expenses-and-receipts"],
        body=[
            p("""As a team grows, the person who spends money should not be the only one who
            signs off on it. Approval workflows hold bills and expense claims in <em>Awaiting
            approval</em> until the right person agrees."""),
            steps(
                "Create a workflow",
                ("Open approvals", """Go to <strong>Settings → Approvals</strong> and click
                <em>New workflow</em>."""),
                ("Choose what it covers", """Expense claims, supplier bills, or both; optionally
                only certain categories."""),
                ("Set thresholds", """For example: under 200 auto-approved, 200 to 2,000 needs
                the team lead, over 2,000 needs a finance admin too."""),
                ("Pick approvers", """Approve by role rather than person, so holidays and
                leavers do not block payments."""),
            ),
            note("""Approvers get an email and an in-app task. They can approve from the email
            on mobile; each decision is recorded with time and user in the audit log."""),
            warning("""Nobody can approve their own claim, including admins. Make sure every
            approval step has at least two eligible people."""),
            quiz(
                "Why assign approval steps to a role instead of a named person?",
                [
                    ("So absences do not block approvals", True),
                    ("Because named people cannot approve", False),
                    ("It skips the audit log", False),
                ],
                """Any eligible member of the role can approve, so one absence does not hold up
                bills and claims.""",
            ),
            try_it("Open Approvals", "/settings/approvals", "Create a threshold-based workflow."),
        ],
    ),
    lesson(
        "configure-saml-sso",
        "Configure SAML single sign-on",
        """Connect Ledgerly to Okta, Microsoft Entra ID or Google Workspace so your team signs
        in with company accounts and leavers lose access at once.""",
        minutes=8,
        level="advanced",
        features=["sso"],
        prerequisites=["roles-and-permissions"],
        body=[
            p("""With SAML single sign-on, your identity provider, or IdP, decides who can sign
            in to Ledgerly. It is available on the Enterprise plan and configured by an
            admin."""),
            steps(
                "Connect your identity provider",
                ("Start in Ledgerly", """Open <strong>Settings → Security → Single
                sign-on</strong> and copy the ACS URL and Entity ID."""),
                ("Create the app in your IdP", """Add a SAML app, paste both values and set the
                NameID format to <em>EmailAddress</em>."""),
                ("Bring the metadata back", """Download the IdP metadata XML and upload it to
                Ledgerly, or paste the metadata URL so certificates rotate by themselves."""),
                ("Test before enforcing", """Click <em>Test sign-in</em> in a private window.
                Keep a second admin session open in case something is wrong."""),
                ("Enforce", """Turn on <em>Require SSO</em>. Passwords stop working for your
                domain, except for break-glass admins you nominate."""),
            ),
            video(
                "https://www.youtube.com/watch?v=Lg7qSSO0004",
                "Setting up Okta SAML for Ledgerly",
                """We create a SAML app in Okta, copy the ACS URL and Entity ID from Ledgerly,
                upload the metadata, test sign-in from a private window, and enforce SSO while
                keeping one break-glass admin.""",
            ),
            warning("""Email addresses must match exactly. If the IdP sends
            <em>j.smith@acme.com</em> but the Ledgerly user is <em>john.smith@acme.com</em>,
            sign-in fails with <em>No matching user</em>."""),
            quiz(
                "Why keep a second admin session open while testing SSO?",
                [
                    ("To recover if a misconfiguration locks everyone out", True),
                    ("Because SAML needs two sessions", False),
                    ("To double the sign-in speed", False),
                ],
                """If the test fails after enforcing, the open session lets you fix or disable
                SSO without contacting support.""",
            ),
            try_it(
                "Open Single sign-on",
                "/settings/security/sso",
                "Copy your ACS URL and Entity ID to start the setup.",
            ),
        ],
    ),
    lesson(
        "scim-user-provisioning",
        "Automatic user provisioning with SCIM",
        """Let your identity provider create, update and deactivate Ledgerly users and their
        roles, so access always follows your HR records.""",
        minutes=6,
        level="advanced",
        features=["sso", "team-roles"],
        prerequisites=["configure-saml-sso"],
        body=[
            p("""SSO controls how people sign in; SCIM controls who exists. With SCIM, adding
            someone to the <em>Finance</em> group in your IdP creates their Ledgerly user with
            the right role, and removing them deactivates it within minutes."""),
            steps(
                "Turn on SCIM",
                ("Create a SCIM token", """In <strong>Settings → Security →
                Provisioning</strong>, click <em>Generate token</em>. It is shown once."""),
                ("Configure the IdP", """Enter the SCIM base URL and token in your IdP's
                provisioning tab, and enable create, update and deactivate."""),
                ("Map groups to roles", """In Ledgerly, map IdP groups to roles, for example
                <em>Finance</em> to Accountant and <em>Sales</em> to your custom Sales
                role."""),
                ("Push groups", "Push the groups from the IdP and watch users appear."),
            ),
            warning("""Users created by hand before SCIM are not managed by it until they are
            linked. Use <em>Match existing users</em> so the IdP does not create
            duplicates."""),
            quiz(
                "What happens in Ledgerly when an employee is removed from the IdP?",
                [
                    ("Nothing until an admin notices", False),
                    ("Their Ledgerly user is deactivated automatically", True),
                    ("Their invoices are deleted", False),
                ],
                """SCIM deactivation removes access at once while keeping their history for the
                audit trail.""",
            ),
        ],
    ),
    lesson(
        "troubleshoot-sso-logins",
        "Troubleshoot SSO sign-in errors",
        """Decode the most common SAML errors, find the failing assertion in the sign-in log,
        and fix it without disabling SSO.""",
        minutes=4,
        level="intermediate",
        features=["sso"],
        prerequisites=["configure-saml-sso"],
        body=[
            p("""When SSO fails, Ledgerly records the reason. Open <strong>Settings → Security →
            Sign-in log</strong> and filter by the user's email to see every attempt with an
            error code."""),
            ul(
                "The usual suspects:",
                """<strong>No matching user</strong>: the NameID email differs from the Ledgerly
                user. Fix the attribute in the IdP or enable SCIM.""",
                """<strong>Signature invalid</strong>: the IdP rotated its certificate. Use a
                metadata URL so Ledgerly picks up new certificates.""",
                """<strong>Assertion expired</strong>: the clocks disagree or the user took too
                long. Retry; if it persists, check the IdP's server time.""",
                """<strong>Audience mismatch</strong>: the Entity ID in the IdP is wrong,
                often a copy from a staging workspace.""",
            ),
            tip("""Install a SAML tracer browser extension to see the raw assertion. Compare its
            Audience and NameID with the values on the SSO settings page."""),
            quiz(
                "SSO suddenly fails for everyone with Signature invalid. What is the likely cause?",
                [
                    ("The identity provider rotated its signing certificate", True),
                    ("Everyone typed the wrong password", False),
                    ("The Ledgerly plan expired", False),
                ],
                """A rotated certificate invalidates every signature at once; a metadata URL
                keeps Ledgerly up to date automatically.""",
            ),
            try_it(
                "Open Sign-in log", "/settings/security/sign-in-log", "Look up failed attempts."
            ),
        ],
    ),
    lesson(
        "api-keys-and-authentication",
        "API keys and authentication",
        """Create API keys with the right scope, keep them out of your code, and authenticate
        your first request to the Ledgerly API.""",
        minutes=4,
        level="intermediate",
        features=["api-webhooks"],
        body=[
            p("""The Ledgerly REST API lets your own systems create invoices, read payments and
            sync clients. Every request is authenticated with a secret key sent as a bearer
            token."""),
            steps(
                "Create a key",
                ("Open API keys", "Go to <strong>Settings → Developers → API keys</strong>."),
                ("Choose test or live", """Test keys start with <em>sk_test_</em> and work on a
                sandbox copy of your data. Build with test keys first."""),
                ("Limit the scope", """Grant only what the integration needs, such as
                <em>invoices:write</em> and <em>clients:read</em>."""),
                ("Store it safely", """Put it in an environment variable or secret manager.
                Ledgerly shows the key once."""),
            ),
            code(
                "bash",
                """
                export LEDGERLY_API_KEY="sk_test_..."
                curl https://api.ledgerly.example/v2/clients?limit=5 \\
                  -H "Authorization: Bearer $LEDGERLY_API_KEY"
                """,
            ),
            warning("""Never put a secret key in browser or mobile code, and never commit it. If
            a key leaks, click <em>Roll key</em>: the old key keeps working for 24 hours while
            you deploy the new one, then stops."""),
            quiz(
                "Which are good practices for Ledgerly API keys?",
                [
                    ("Grant only the scopes the integration needs", True),
                    ("Store the key in an environment variable or secret manager", True),
                    ("Embed the key in your single-page app for convenience", False),
                    ("Share one live key between all integrations", False),
                ],
                """Least-privilege scopes and secret storage limit the damage of a leak; browser
                code is public, and shared keys make rotation painful.""",
            ),
            try_it("Open API keys", "/settings/developers/api-keys", "Create a test key."),
        ],
    ),
    lesson(
        "create-invoices-with-the-api",
        "Create and send invoices with the API",
        """Create a client and an invoice from your own system, send it, and read back its
        status, with working code you can adapt.""",
        minutes=6,
        level="intermediate",
        features=["api-webhooks", "invoices"],
        prerequisites=["api-keys-and-authentication"],
        body=[
            p("""A typical integration creates invoices when something happens in your product,
            such as an order shipping or a project milestone closing. Amounts are sent in minor
            units, so 1,250.00 EUR is <em>125000</em>."""),
            code(
                "python",
                """
                import os

                import requests

                API = "https://api.ledgerly.example/v2"
                headers = {"Authorization": f"Bearer {os.environ['LEDGERLY_API_KEY']}"}

                invoice = requests.post(f"{API}/invoices", headers=headers, json={
                    "client_id": "cli_8Jd2",
                    "currency": "EUR",
                    "due_in_days": 14,
                    "lines": [{"description": "March retainer",
                               "quantity": 1, "unit_amount": 125000, "tax_rate": "fr_20"}],
                }, timeout=10).json()

                requests.post(f"{API}/invoices/{invoice['id']}/send",
                              headers=headers, timeout=10)
                """,
            ),
            ul(
                "Things that trip people up:",
                "Amounts are integers in minor units; sending 1250.00 creates a 12.50 invoice.",
                """Invoices are created as drafts. Call <em>/send</em>, or pass <em>"send":
                true</em>, to number and email them.""",
                """Tax rates are referenced by id, such as <em>fr_20</em>, listed at
                <em>GET /v2/tax-rates</em>.""",
            ),
            tip("""Store the returned invoice <em>id</em> next to the order in your own database.
            It is the key for every later call, such as reading the status, recording a payment
            or issuing a credit note, and it lets you avoid creating the same invoice twice.
            While you build, use a test key: sandbox invoices are only emailed to your own
            address."""),
            quiz(
                "You want a 99.90 USD invoice line. What do you send as unit_amount?",
                [
                    ("99.90", False),
                    ("9990", True),
                    ("\"99,90\"", False),
                ],
                """The API uses integer minor units to avoid rounding errors, so 99.90 USD is
                9990 cents.""",
            ),
            try_it(
                "Open API logs",
                "/settings/developers/logs",
                "Inspect the requests your integration has made.",
            ),
        ],
    ),
    lesson(
        "receive-webhooks",
        "Receive webhooks",
        """Subscribe to events such as invoice.paid, build an endpoint that acknowledges them
        fast, and replay events you missed.""",
        minutes=5,
        level="intermediate",
        features=["api-webhooks"],
        prerequisites=["api-keys-and-authentication"],
        body=[
            p("""Webhooks push events to your system as they happen, so you do not poll the API.
            Add an endpoint under <strong>Settings → Developers → Webhooks</strong> and choose
            the events, such as <em>invoice.paid</em> or <em>bank_connection.expired</em>."""),
            code(
                "python",
                """
                from flask import Flask, request

                app = Flask(__name__)

                @app.post("/ledgerly/webhooks")
                def ledgerly_webhook():
                    event = request.get_json()
                    queue.enqueue(handle_event, event)  # do the work later
                    return "", 204  # acknowledge within 10 seconds
                """,
            ),
            ul(
                "Design rules that save you trouble:",
                """Respond with a 2xx within 10 seconds, then process asynchronously. Slow
                endpoints are retried and receive the same event again.""",
                """Make handlers idempotent: store each event <em>id</em> and skip ones you have
                already processed.""",
                """Do not rely on order. Fetch the current object from the API when order
                matters.""",
            ),
            video(
                "https://www.youtube.com/watch?v=Lg7qHook005",
                "Webhooks from zero to production",
                """We add an endpoint, send a test event from the dashboard, look at the
                delivery log, make the handler idempotent, and replay a failed delivery after
                fixing a bug.""",
            ),
            quiz(
                "Your handler takes 30 seconds to process an event. What will happen?",
                [
                    ("Ledgerly waits patiently", False),
                    ("The delivery times out and is retried, so the event arrives again", True),
                    ("The event is deleted", False),
                ],
                """Deliveries time out after 10 seconds and are retried with backoff;
                acknowledge fast and process the work in the background.""",
            ),
            try_it(
                "Open Webhooks",
                "/settings/developers/webhooks",
                "Add an endpoint and send a test event.",
            ),
        ],
    ),
    lesson(
        "verify-webhook-signatures",
        "Verify webhook signatures",
        """Check the Ledgerly-Signature header so your endpoint only trusts events that really
        came from Ledgerly, and reject replays.""",
        minutes=5,
        level="advanced",
        features=["api-webhooks"],
        prerequisites=["receive-webhooks"],
        body=[
            p("""Anyone can send a POST request to your webhook URL. Each genuine delivery
            carries a <em>Ledgerly-Signature</em> header: a timestamp and an HMAC-SHA256 of
            <em>timestamp.body</em> computed with your endpoint's signing secret."""),
            code(
                "python",
                """
                import hashlib
                import hmac
                import time

                def verify(body: bytes, header: str, secret: str, tolerance: int = 300) -> bool:
                    parts = dict(item.split("=", 1) for item in header.split(","))
                    timestamp, signature = int(parts["t"]), parts["v1"]
                    if abs(time.time() - timestamp) > tolerance:
                        return False  # too old: possible replay
                    signed = f"{timestamp}.".encode() + body
                    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
                    return hmac.compare_digest(expected, signature)
                """,
            ),
            ul(
                "Common mistakes:",
                """Verifying a re-serialised JSON object instead of the raw request body; any
                whitespace change breaks the signature.""",
                """Comparing with <em>==</em> instead of a constant-time comparison.""",
                """Forgetting the timestamp check, which lets an attacker replay an old
                event.""",
            ),
            note("""Each endpoint has its own signing secret, shown under <strong>Settings →
            Developers → Webhooks</strong>. When you roll it, Ledgerly signs deliveries with both
            the old and the new secret for 24 hours, so accept either while you deploy the
            change. Return a 400 for an invalid signature and log it; never process the
            event."""),
            quiz(
                "Your signature check fails for every event. What is the most likely bug?",
                [
                    ("You sign the parsed and re-serialised JSON instead of the raw body", True),
                    ("The signing secret is too long", False),
                    ("HMAC cannot be used with JSON", False),
                ],
                """The signature covers the exact bytes sent. Parsing and re-serialising
                changes them, so always verify the raw body.""",
            ),
            try_it(
                "Open Webhooks",
                "/settings/developers/webhooks",
                "Reveal your endpoint's signing secret.",
            ),
        ],
    ),
    lesson(
        "handle-rate-limits-and-idempotency",
        "Rate limits and idempotent requests",
        """Build an integration that survives timeouts and traffic spikes: respect rate limits
        and retry safely with idempotency keys.""",
        minutes=5,
        level="advanced",
        features=["api-webhooks"],
        prerequisites=["create-invoices-with-the-api"],
        body=[
            p("""The API allows 100 requests per second per key, with bursts. Over the limit you
            get <em>429 Too Many Requests</em> with a <em>Retry-After</em> header. Networks also
            fail: a timeout does not tell you whether the invoice was created."""),
            code(
                "javascript",
                """
                const key = crypto.randomUUID(); // one key per logical operation
                async function createInvoice(payload, attempt = 0) {
                  const res = await fetch("https://api.ledgerly.example/v2/invoices", {
                    method: "POST",
                    headers: { Authorization: `Bearer ${process.env.LEDGERLY_API_KEY}`,
                               "Idempotency-Key": key, "Content-Type": "application/json" },
                    body: JSON.stringify(payload),
                  });
                  if ((res.status === 429 || res.status >= 500) && attempt < 5) {
                    const wait = Number(res.headers.get("Retry-After") ?? 2 ** attempt);
                    await new Promise((r) => setTimeout(r, wait * 1000));
                    return createInvoice(payload, attempt + 1);
                  }
                  return res.json();
                }
                """,
            ),
            p("""Send the same <em>Idempotency-Key</em> on every retry of one operation. Ledgerly
            stores the first response for 24 hours and returns it again, so a retry never
            creates a second invoice."""),
            warning("""Generating a new key per retry defeats the purpose. Create the key once,
            when you decide to create the invoice, and store it with your order."""),
            tip("""Watch the <em>X-RateLimit-Remaining</em> header and slow down before it reaches
            zero. For large imports, use the bulk endpoint, which accepts up to 100 invoices per
            request and counts as a single call."""),
            quiz(
                "A POST to create an invoice timed out. How do you retry safely?",
                [
                    ("Retry with the same Idempotency-Key", True),
                    ("Retry with a new Idempotency-Key", False),
                    ("Never retry POST requests", False),
                ],
                """The same key lets Ledgerly recognise the retry and return the original result
                instead of creating a duplicate.""",
            ),
        ],
    ),
]
# fmt: on

__all__ = ["LESSONS_PLATFORM"]
