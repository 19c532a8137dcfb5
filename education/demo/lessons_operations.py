"""Ledgerly lessons: expenses, bank sync, reports and exports."""

from __future__ import annotations

from .blocks import code, lesson, note, p, quiz, steps, tip, try_it, ul, video, warning

# fmt: off
LESSONS_OPERATIONS = [
    lesson(
        "record-expenses-and-receipts",
        "Record expenses and receipts",
        """Capture every business expense with its receipt, from the mobile app or by email,
        so nothing deductible is lost at tax time.""",
        minutes=3,
        level="beginner",
        features=["expenses"],
        body=[
            p("""Every expense you record lowers your taxable profit, but only if you can prove
            it. Ledgerly keeps the receipt image next to the expense, so the proof is there when
            your accountant or a tax inspector asks."""),
            ul(
                "Three ways to add an expense:",
                """<strong>Mobile app</strong>: tap <em>+ → Expense</em> and photograph the
                receipt. Date, merchant and total are read from the image.""",
                """<strong>Email</strong>: forward receipts to your private address, shown
                under <strong>Expenses → Receipt inbox</strong>.""",
                """<strong>Web</strong>: <strong>Expenses → New expense</strong>, then drag a PDF
                onto the form.""",
            ),
            tip("""Photograph paper receipts the day you get them. Thermal paper fades within
            months and a blank receipt is not evidence."""),
            warning("""Receipt scanning fails on blurry photos and multi-page PDFs with more
            than one receipt. If a scan shows <em>Could not read receipt</em>, retake the photo
            flat and in good light, or split the PDF."""),
            quiz(
                "Where do forwarded receipt emails end up?",
                [
                    ("In Expenses → Receipt inbox, ready to review", True),
                    ("Directly in your profit and loss report", False),
                    ("In your bank connections", False),
                ],
                """Forwarded receipts wait in the Receipt inbox so you can check the amount and
                category before they become expenses.""",
            ),
            try_it("New expense", "/expenses/new", "Record an expense and attach a receipt."),
        ],
    ),
    lesson(
        "expense-categories-and-rules",
        "Expense categories that your accountant will love",
        """Use a small, consistent set of categories and let rules apply them automatically,
        so your reports and tax return line up without rework.""",
        minutes=4,
        level="intermediate",
        features=["expenses"],
        prerequisites=["record-expenses-and-receipts"],
        body=[
            p("""Categories are what turn a pile of receipts into a profit and loss statement.
            Ledgerly starts you with a standard list matched to your country's tax forms. Most
            businesses should rename little and add less."""),
            steps(
                "Tidy your categories",
                ("Open categories", "Go to <strong>Settings → Expense categories</strong>."),
                ("Archive what you never use", """Archiving hides a category from pickers
                without changing past expenses."""),
                ("Add sub-categories sparingly", """Add a sub-category only when you need it on
                a report, such as <em>Software → Design tools</em>."""),
                ("Create merchant rules", """Under <em>Rules</em>, map a merchant to a category,
                for example every <em>Adobe</em> charge to <em>Software</em>."""),
            ),
            note("""Each category maps to a tax line. If you create a new one, set its
            <em>Tax treatment</em>, otherwise it is reported as non-deductible by default."""),
            quiz(
                "What happens to a new category if you do not set its tax treatment?",
                [
                    ("It is treated as non-deductible", True),
                    ("It is split evenly across other categories", False),
                    ("It is deleted at year end", False),
                ],
                """New categories default to non-deductible so nothing is claimed by accident;
                set the treatment to include them in deductible totals.""",
            ),
            try_it(
                "Open Expense categories",
                "/settings/expense-categories",
                "Archive unused categories and add a merchant rule.",
            ),
        ],
    ),
    lesson(
        "connect-your-bank",
        "Connect your bank account",
        """Link your business bank account or card so transactions flow into Ledgerly every
        day and reconciliation takes minutes instead of hours.""",
        minutes=4,
        level="beginner",
        features=["bank-sync"],
        body=[
            p("""Bank sync imports your transactions automatically through a secure, read-only
            connection. Ledgerly never sees your banking password and cannot move money."""),
            steps(
                "Add a connection",
                ("Open bank connections", """Go to <strong>Settings → Bank
                connections</strong> and click <strong>Add bank</strong>."""),
                ("Find your bank", """Search by name. Business and personal banking often have
                separate entries; pick the one you log in to."""),
                ("Sign in and consent", """You are redirected to your bank to approve
                read-only access, typically for 90 days in the EU and UK."""),
                ("Choose accounts and start date", """Select the accounts to import and a start
                date. Start on the first day of the period you have not reconciled yet."""),
            ),
            video(
                "https://www.youtube.com/watch?v=Lg7qBank002",
                "Connecting a business bank account",
                """We connect a business current account and a credit card. After consenting at
                the bank, we import from the first of last month, and see transactions appear
                within a minute, ready to match against invoices and expenses.""",
            ),
            warning("""Do not import dates you have already entered by hand, or every
            transaction will appear twice. Pick a start date after your last manual
            entry."""),
            quiz(
                "Which start date should you choose for a new bank connection?",
                [
                    ("The day the account was opened", False),
                    ("The first day of the period you have not reconciled yet", True),
                    ("Today, always", False),
                ],
                """Starting where your reconciled records end avoids duplicates and gaps.""",
            ),
            try_it(
                "Open Bank connections",
                "/settings/bank-connections",
                "Add your business account and choose a start date.",
            ),
        ],
    ),
    lesson(
        "match-bank-transactions",
        "Match bank transactions",
        """Reconcile imported bank lines against invoices, payments and expenses using
        Ledgerly's suggestions, and create what is missing on the spot.""",
        minutes=5,
        level="beginner",
        features=["bank-sync"],
        prerequisites=["connect-your-bank"],
        body=[
            p("""Reconciling means confirming that every line on your bank statement is
            explained by something in Ledgerly. Open <strong>Banking → Reconcile</strong>: each
            imported line appears with a suggestion on the right."""),
            ul(
                "What the suggestions mean:",
                """<strong>Green, Match</strong>: amount and reference match an open invoice or
                bill. Check and click <em>OK</em>.""",
                """<strong>Amber, Possible match</strong>: the amount matches but the date or
                name differs. Open it before confirming.""",
                """<strong>Create</strong>: nothing matches. Create the expense or payment right
                from the line.""",
            ),
            tip("""Reconcile weekly rather than monthly. Fifteen minutes each Friday is far
            easier than two hours at month end, and you catch missing payments while clients
            still remember them."""),
            warning("""Never use <em>Create</em> for a line that pays an existing invoice. That
            records the income twice; use <em>Find &amp; match</em> to search for the invoice
            instead."""),
            quiz(
                """A deposit equals an open invoice but arrived under a different client name.
                What now?""",
                [
                    ("Click Create to record new income", False),
                    ("Open the possible match, check it and confirm", True),
                    ("Delete the bank line", False),
                ],
                """Payments are often sent from a parent company or a personal account. Check the
                possible match, then confirm it so the invoice is marked paid.""",
            ),
            try_it("Open Reconcile", "/banking/reconcile", "Match this week's bank lines."),
        ],
    ),
    lesson(
        "bank-rules-for-auto-categorization",
        "Bank rules for automatic categorisation",
        """Write rules that categorise recurring bank lines such as rent, software and fees
        automatically, leaving only the unusual ones to review.""",
        minutes=5,
        level="intermediate",
        features=["bank-sync", "expenses"],
        prerequisites=["match-bank-transactions", "expense-categories-and-rules"],
        body=[
            p("""Most bank lines repeat every month: rent, payroll, software subscriptions,
            card processor fees. A bank rule recognises them and fills in the category,
            contact and tax rate, so reconciling becomes a quick review."""),
            steps(
                "Create a rule",
                ("Open rules", """Go to <strong>Banking → Rules</strong> and click <em>New
                rule</em>."""),
                ("Set conditions", """Match on description contains, amount range and account.
                Use a distinctive word such as <em>FIGMA</em> rather than a card number."""),
                ("Set the outcome", """Choose the category, contact and tax rate to
                apply."""),
                ("Choose auto-confirm or suggest", """Auto-confirm only rules you trust
                completely; suggest-only rules still need a click."""),
                ("Test it", """Click <em>Preview</em> to see which past lines would have
                matched before you save."""),
            ),
            warning("""Rules run in order and the first match wins. Put narrow rules, such as a
            specific supplier, above broad ones such as <em>contains CARD</em>."""),
            quiz(
                "Two rules match the same line. Which is applied?",
                [
                    ("The first one in the list", True),
                    ("The most recently created one", False),
                    ("Both, splitting the amount", False),
                ],
                """Rules are evaluated top to bottom and the first match wins, so order matters;
                drag rules to reorder them.""",
            ),
            try_it(
                "Open Bank rules", "/banking/rules", "Create a rule for a monthly subscription."
            ),
        ],
    ),
    lesson(
        "fix-a-broken-bank-connection",
        "Fix a broken bank connection",
        """Know why bank feeds stop, how to reconnect without duplicates, and how to fill the
        gap with a statement import.""",
        minutes=4,
        level="intermediate",
        features=["bank-sync"],
        prerequisites=["connect-your-bank"],
        body=[
            p("""Bank connections stop for ordinary reasons: the consent expired, the bank
            changed its login, or you changed your password. Ledgerly shows a red badge on
            <strong>Settings → Bank connections</strong> and emails the account owner."""),
            ul(
                "Read the status first:",
                """<strong>Consent expired</strong>: click <em>Renew</em> and approve access at
                your bank again. Nothing else changes.""",
                """<strong>Login required</strong>: your bank needs a fresh sign-in, often after
                a password change or new security device.""",
                """<strong>Bank unavailable</strong>: a problem on the bank's side. Wait; the
                feed catches up automatically when it returns.""",
            ),
            steps(
                "Reconnect safely",
                ("Use Renew, not Add bank", """Renewing keeps the same feed and history. Adding
                the bank again creates a second feed with duplicates."""),
                ("Check for a gap", """After renewing, compare the last imported date with your
                bank. Feeds fetch up to 90 days back."""),
                ("Fill older gaps", """For gaps longer than that, download a CSV or OFX statement
                and use <em>Import statement</em>; duplicates are skipped."""),
            ),
            quiz(
                "Your bank feed says Consent expired. What should you do?",
                [
                    ("Delete the connection and add the bank again", False),
                    ("Click Renew and approve access at your bank", True),
                    ("Wait for the bank to fix it", False),
                ],
                """Renewing restores the same feed without duplicates. Re-adding the bank creates
                a second feed and duplicated transactions.""",
            ),
            try_it(
                "Open Bank connections",
                "/settings/bank-connections",
                "Check each connection's status and renew any that expired.",
            ),
        ],
    ),
    lesson(
        "profit-and-loss-basics",
        "Read your profit and loss report",
        """Understand the profit and loss report line by line, switch between cash and accrual,
        and compare periods to spot trends.""",
        minutes=4,
        level="beginner",
        features=["reports"],
        body=[
            p("""The profit and loss report, or P&amp;L, answers one question: did the business
            make money in this period? Open <strong>Reports → Profit and loss</strong>. Income
            is at the top, then cost of sales, gross profit, operating expenses and net
            profit."""),
            ul(
                "Three settings change what you see:",
                """<strong>Period</strong>: this month, last quarter, or year to date from your
                fiscal year start.""",
                """<strong>Basis</strong>: <em>accrual</em> counts invoices when issued;
                <em>cash</em> counts them when paid.""",
                """<strong>Compare</strong>: add the previous period or the same period last
                year as extra columns.""",
            ),
            tip("""Use cash basis to understand your bank balance and accrual basis to
            understand performance. A big month on accrual with little cash means clients owe
            you; check aged receivables next."""),
            quiz(
                """You invoiced 10,000 in March, and clients paid it in April. On cash basis,
                when is it income?""",
                [
                    ("March", False),
                    ("April", True),
                    ("Split across both months", False),
                ],
                """Cash basis recognises income when money is received, so it appears in
                April. On accrual basis it would appear in March.""",
            ),
            try_it(
                "Open Profit and loss",
                "/reports/profit-and-loss",
                "Compare this quarter with the same quarter last year.",
            ),
        ],
    ),
    lesson(
        "cash-flow-and-aged-receivables",
        "Cash flow and aged receivables",
        """Find out who owes you money and for how long, and forecast next month's cash
        before it becomes a problem.""",
        minutes=5,
        level="intermediate",
        features=["reports", "invoices"],
        prerequisites=["profit-and-loss-basics"],
        body=[
            p("""Profitable businesses still run out of cash when clients pay late. Two reports
            help: <strong>Aged receivables</strong> shows unpaid invoices grouped by age, and
            <strong>Cash flow forecast</strong> projects your bank balance from due invoices,
            bills and recurring items."""),
            steps(
                "Weekly cash review",
                ("Open aged receivables", """Go to <strong>Reports → Aged receivables</strong>.
                Columns show current, 1 to 30, 31 to 60, 61 to 90 and over 90 days."""),
                ("Start from the right", """Chase the oldest balances first: the longer an
                invoice is unpaid, the less likely it is ever paid."""),
                ("Open the forecast", """In <strong>Reports → Cash flow forecast</strong>, look
                for weeks where the projected balance dips below what you need for payroll and
                rent."""),
                ("Act early", """Move a supplier payment, ask for a deposit, or offer a client a
                small early-payment discount."""),
            ),
            note("""The forecast assumes invoices are paid on their due date. Tick <em>Use
            payment history</em> to use each client's actual average delay instead; it is
            usually more realistic."""),
            quiz(
                "Which invoices should you chase first on the aged receivables report?",
                [
                    ("The ones in the over-90-days column", True),
                    ("The ones that are not yet due", False),
                    ("The smallest ones", False),
                ],
                """The chance of collecting falls as an invoice ages, so start with the oldest
                balances.""",
            ),
            try_it("Open Aged receivables", "/reports/aged-receivables", "See who owes you money."),
        ],
    ),
    lesson(
        "custom-reports-and-scheduling",
        "Custom reports and scheduled delivery",
        """Build a report with the columns, filters and groupings you need, save it, and have
        it emailed to stakeholders every month.""",
        minutes=6,
        level="advanced",
        features=["reports"],
        prerequisites=["profit-and-loss-basics"],
        body=[
            p("""Standard reports cover most needs, but managers often want one specific view,
            such as revenue by client and project for the quarter. The custom report builder
            starts from any standard report and lets you change everything."""),
            steps(
                "Build and schedule a report",
                ("Start from a standard report", """Open <strong>Reports → Custom → New</strong>
                and pick <em>Sales by client</em> as a base."""),
                ("Group and filter", """Group by client, then by project tag. Filter to invoices
                in your base currency or convert everything."""),
                ("Save it", """Give it a clear name such as <em>Q revenue by client</em>;
                saved reports appear for teammates with report access."""),
                ("Schedule it", """Click <em>Schedule</em>, choose monthly on the 3rd, PDF or
                XLSX, and the recipients."""),
            ),
            tip("""Schedule month-end reports for a few days after month end, not the 1st. Bank
            lines and late expenses are still arriving on the first day, so early reports are
            often wrong."""),
            warning("""Scheduled reports are emailed as attachments. Only send them to people
            who are allowed to see financial data, and prefer teammates over external
            addresses."""),
            quiz(
                "Why schedule a monthly report for the 3rd rather than the 1st?",
                [
                    ("Email is cheaper later in the month", False),
                    ("Late bank lines and expenses have time to arrive and be reconciled", True),
                    ("Reports cannot run on the 1st", False),
                ],
                """Data for the month keeps arriving for a day or two; a short delay gives
                numbers that will not change after you send them.""",
            ),
            try_it("Open Custom reports", "/reports/custom", "Build revenue by client."),
        ],
    ),
    lesson(
        "month-end-close-checklist",
        "Your month-end close checklist",
        """A repeatable routine to close the month in Ledgerly: reconcile, review, adjust and
        lock the period so numbers stop moving.""",
        minutes=8,
        level="advanced",
        features=["reports", "bank-sync", "expenses"],
        prerequisites=["match-bank-transactions", "cash-flow-and-aged-receivables"],
        body=[
            p("""Closing the month means making sure every transaction is recorded and correct,
            then locking the period so nobody changes it by accident. Ledgerly's close
            checklist, at <strong>Reports → Month-end close</strong>, walks you through it."""),
            steps(
                "Close the month",
                ("Reconcile every account", """Each bank and card account should show zero
                unreconciled lines up to the last day of the month."""),
                ("Clear the receipt inbox", """Review receipts waiting in <strong>Expenses →
                Receipt inbox</strong> so late expenses land in the right month."""),
                ("Review receivables and payables", """Check aged receivables for invoices that
                should be written off and bills that were paid but not recorded."""),
                ("Post adjustments", """Record depreciation, accruals and prepayments as
                journal entries, or ask your accountant to."""),
                ("Lock the period", """Set <strong>Settings → Lock date</strong> to the last day
                of the month. Only admins can post before it."""),
            ),
            video(
                "https://www.youtube.com/watch?v=Lg7qClose03",
                "Month-end close in fifteen minutes",
                """A finance lead closes October: two bank accounts reconciled, three late
                receipts categorised, one bad debt written off, and the lock date set to the
                31st, before a P&amp;L is sent to the owners.""",
            ),
            warning("""Exports sent before the lock date can be out of date. Always export for
            your accountant after locking the period."""),
            quiz(
                "What does setting a lock date do?",
                [
                    ("Prevents non-admins from changing transactions before that date", True),
                    ("Deletes transactions before that date", False),
                    ("Stops bank sync", False),
                ],
                """The lock date freezes a closed period for everyone except admins, so
                reported figures stay stable.""",
            ),
            try_it("Open Month-end close", "/reports/month-end-close", "Start this month's close."),
        ],
    ),
    lesson(
        "export-to-your-accountant",
        "Export your books for your accountant",
        """Give your accountant exactly what they need at year end: invite them, or send a
        ready-made export in the format their software reads.""",
        minutes=3,
        level="beginner",
        features=["exports"],
        body=[
            p("""The easiest handover is to invite your accountant as a teammate with the
            <em>Accountant</em> role: they see everything and can post adjustments, without
            access to billing settings. If they prefer files, use an accountant export."""),
            steps(
                "Create an accountant export",
                ("Open exports", "Go to <strong>Exports → Accountant pack</strong>."),
                ("Pick the period", """Choose the fiscal year or quarter. Lock the period first
                so the numbers match what you send."""),
                ("Pick the format", """Choose the target: DATEV, FEC for France, SAF-T, Xero or
                QuickBooks compatible CSV, or a general ledger in XLSX."""),
                ("Send or download", """Send a secure link that expires after 14 days, or
                download a ZIP with the ledger, trial balance and receipts."""),
            ),
            note("""French businesses must be able to produce a FEC file on request. Ledgerly
            builds it with the required 18 columns and file name from your SIREN number."""),
            quiz(
                "What should you do before exporting a period for your accountant?",
                [
                    ("Lock the period so the figures stop changing", True),
                    ("Delete old receipts", False),
                    ("Disconnect your bank", False),
                ],
                """Locking first guarantees that the export and your books agree after you
                send it.""",
            ),
            try_it("Open Accountant pack", "/exports/accountant", "Prepare last quarter's export."),
        ],
    ),
    lesson(
        "csv-exports-and-column-mapping",
        "CSV exports and column mapping",
        """Export invoices, payments or transactions to CSV with the columns, date format and
        encoding another system expects.""",
        minutes=5,
        level="intermediate",
        features=["exports"],
        prerequisites=["export-to-your-accountant"],
        body=[
            p("""Spreadsheets and other tools rarely agree on CSV details. Ledgerly's export
            builder lets you choose columns and their order, the delimiter, the date format and
            the encoding, and save the whole setup as a preset."""),
            steps(
                "Build an export preset",
                ("Open exports", """Go to <strong>Exports → New export</strong> and pick a
                dataset such as <em>Invoices</em>."""),
                ("Map columns", """Drag columns into order and rename headers to what the
                target expects, such as <em>Date</em> instead of <em>issued_on</em>."""),
                ("Match the locale", """Excel in France and Germany expects semicolons and
                decimal commas. Choose the <em>Excel (FR/DE)</em> profile."""),
                ("Save as preset", "Presets can be reused, scheduled, or called from the API."),
            ),
            p("""A default invoices export starts like this:"""),
            code(
                "text",
                """
                invoice_number,issued_on,due_on,client,currency,subtotal,tax,total,status
                INV-1042,2024-03-04,2024-03-18,Acme Studio,EUR,1200.00,240.00,1440.00,paid
                INV-1043,2024-03-05,2024-04-04,Northwind Ltd,GBP,800.00,160.00,960.00,sent
                """,
            ),
            warning("""If accented names look garbled in Excel, export as <em>UTF-8 with
            BOM</em>. Excel ignores plain UTF-8 when opening CSV files by double-click."""),
            quiz(
                "Client names such as Société Générale appear garbled in Excel. What fixes it?",
                [
                    ("Export as UTF-8 with BOM", True),
                    ("Remove accents from client names", False),
                    ("Use a comma instead of a semicolon", False),
                ],
                """Excel needs the byte-order mark to recognise UTF-8 in a CSV opened by
                double-click; the data itself is fine.""",
            ),
            try_it("New export", "/exports/new", "Build and save an export preset."),
        ],
    ),
    lesson(
        "scheduled-exports-to-cloud-storage",
        "Scheduled exports to cloud storage",
        """Deliver exports automatically to S3, Google Drive or SFTP on a schedule, so your data
        warehouse or accountant always has fresh files.""",
        minutes=6,
        level="advanced",
        features=["exports"],
        prerequisites=["csv-exports-and-column-mapping"],
        body=[
            p("""When another system needs Ledgerly data every day, downloading files by hand
            does not scale. Scheduled exports run a saved preset and write the file to a
            destination you control."""),
            steps(
                "Schedule an export",
                ("Add a destination", """Under <strong>Exports → Destinations</strong>, add an
                S3 bucket, Google Drive folder or SFTP server. For S3, use a dedicated IAM user
                that can only write to one prefix."""),
                ("Pick a preset", "Choose a saved preset, such as <em>Daily transactions</em>."),
                ("Choose the window", """Use <em>changed since last run</em> for incremental
                loads, or a full period for snapshots."""),
                ("Set the schedule", """Daily at 02:00 in your business timezone is typical.
                Files are named with the run date."""),
            ),
            p("""A minimal S3 policy for the destination user:"""),
            code(
                "json",
                """
                {
                  "Version": "2012-10-17",
                  "Statement": [{
                    "Effect": "Allow",
                    "Action": ["s3:PutObject"],
                    "Resource": "arn:aws:s3:::acme-finance/ledgerly/*"
                  }]
                }
                """,
            ),
            warning("""Incremental exports include records changed since the last run, so an
            invoice can appear in two files. Load them with an upsert keyed on the record id,
            not an insert."""),
            quiz(
                "An invoice appears in two consecutive incremental files. Why?",
                [
                    ("It was changed after the first export, for example when it was paid", True),
                    ("The export failed and retried", False),
                    ("Incremental exports always duplicate everything", False),
                ],
                """Incremental exports carry every record changed since the last run, so update
                rows by id when you load them.""",
            ),
            try_it("Open Destinations", "/exports/destinations", "Add an S3 or SFTP destination."),
        ],
    ),
]
# fmt: on

__all__ = ["LESSONS_OPERATIONS"]
