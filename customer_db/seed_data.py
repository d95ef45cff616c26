"""Fixed material for the demo data set: the five documented demo customers, their orders, payment
failures and returns, and the name, address and product lists the other customers are drawn from.

The demo customers and their orders are spelled out here, not drawn at random, because the
README, the dialogue tests and the dialogue contract (docs/dialogue-contract.md) rely on them.
All e-mail addresses use the reserved example domains.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoCustomer:
    customer_id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    language: str
    street: str
    postcode: str
    city: str
    country: str
    customer_for_days: int


@dataclass(frozen=True)
class DemoOrder:
    order_number: str
    customer_id: str
    status: str
    placed_days_ago: float
    carrier: str
    items: tuple[tuple[str, int], ...]  # (sku, quantity)
    # For orders on the way: first promised delivery day, relative to today, and the slip since.
    original_estimate_in_days: int | None = None
    delay_days: int = 0
    # "paid" (paid at checkout), "open" or "unpaid" (bought on account; overdue once past due), or
    # "failed" (the card payment did not go through: no invoice, the order waits for payment).
    payment: str = "paid"


@dataclass(frozen=True)
class DemoPaymentFailure:
    order_number: str
    reason: str  # one of records.PAYMENT_FAILURE_REASONS
    # A resolved failure was a declined first attempt at checkout, just before the one that worked.
    resolved: bool = False


@dataclass(frozen=True)
class DemoReturn:
    return_number: str
    order_number: str
    items: tuple[tuple[str, int], ...]  # (sku, quantity) sent back
    received_days_ago: int
    # The refund was promised REFUND_PROMISED_WITHIN_DAYS after receipt; once that day has passed
    # unpaid, the payments team may have set a new day (relative to today).
    refund_expected_in_days: int | None = None


DEMO_CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer(
        "C100001",
        "Anna",
        "Schmidt",
        "anna.schmidt@example.de",
        "+49 151 23454821",
        "de",
        "Lindenstraße 12",
        "10115",
        "Berlin",
        "DE",
        1460,
    ),
    DemoCustomer(
        "C100002",
        "James",
        "Carter",
        "james.carter@example.com",
        "+44 7700 907315",
        "en",
        "27 Hawthorn Road",
        "BS6 5AB",
        "Bristol",
        "GB",
        620,
    ),
    DemoCustomer(
        "C100003",
        "Lena",
        "Vogel",
        "lena.vogel@example.de",
        "+49 160 98760596",
        "de",
        "Am Stadtpark 7",
        "80331",
        "München",
        "DE",
        910,
    ),
    DemoCustomer(
        "C100004",
        "Priya",
        "Nair",
        "priya.nair@example.com",
        "+44 7911 432648",
        "en",
        "14 Elm Grove",
        "M14 6PB",
        "Manchester",
        "GB",
        240,
    ),
    DemoCustomer(
        "C100005",
        "Katrin",
        "Hoffmann",
        "katrin.hoffmann@example.de",
        "+49 171 55402317",
        "de",
        "Rosenstraße 21",
        "50667",
        "Köln",
        "DE",
        1120,
    ),
)

DEMO_ORDERS: tuple[DemoOrder, ...] = (
    DemoOrder(
        "40010001",
        "C100001",
        "in_transit",
        2.2,
        "DHL",
        (("HOME-1042", 1), ("KIT-2210", 2)),
        original_estimate_in_days=1,
    ),
    DemoOrder("40010011", "C100001", "delivered", 21.4, "Hermes", (("TECH-3301", 1),)),
    DemoOrder(
        "40010002",
        "C100002",
        "in_transit",
        5.3,
        "Royal Mail",
        (("TECH-3120", 1),),
        original_estimate_in_days=-1,
        delay_days=3,
    ),
    DemoOrder("40010012", "C100002", "processing", 0.15, "UPS", (("BOOK-0815", 2), ("HOME-1107", 1))),
    DemoOrder("40010003", "C100003", "delivered", 40.3, "DPD", (("HOME-1180", 1),), payment="unpaid"),
    DemoOrder("40010013", "C100003", "delivered", 8.2, "DHL", (("KIT-2250", 1), ("KIT-2260", 1)), payment="open"),
    DemoOrder(
        "40010004",
        "C100004",
        "out_for_delivery",
        3.1,
        "DPD",
        (("SPORT-4410", 1),),
        original_estimate_in_days=0,
        payment="open",
    ),
    DemoOrder("40010014", "C100004", "delivered", 61.5, "Evri", (("BOOK-0840", 1), ("HOME-1042", 1))),
    # Added after the others so the random draws of the orders above (tracking numbers) stay the same.
    DemoOrder("40010024", "C100004", "processing", 1.3, "DPD", (("TECH-3155", 1),), payment="failed"),
    DemoOrder("40010005", "C100005", "delivered", 26.4, "DHL", (("SPORT-4460", 1), ("KIT-2305", 1))),
)

# Known problems for proactive care (bot/actions/proactive.py), one kind per demo customer: Priya's
# newest order waits for a payment, Katrin's refund is late. Priya's resolved failure shows that
# settled problems are not raised.
DEMO_PAYMENT_FAILURES: tuple[DemoPaymentFailure, ...] = (
    DemoPaymentFailure("40010024", "card_expired"),
    DemoPaymentFailure("40010014", "card_declined", resolved=True),
)
# Refunds reach the customer within this many days of the return arriving (the FAQ's 5 working days).
REFUND_PROMISED_WITHIN_DAYS = 7
DEMO_RETURNS: tuple[DemoReturn, ...] = (
    DemoReturn("RT-6000001", "40010005", (("SPORT-4460", 1),), received_days_ago=11, refund_expected_in_days=2),
)

# (sku, name, unit price in cents). Prices are the same number in EUR and GBP.
PRODUCTS: tuple[tuple[str, str, int], ...] = (
    ("HOME-1042", "Scented candle set (3 pieces)", 2490),
    ("HOME-1107", "Linen cushion cover 50x50", 1995),
    ("HOME-1180", "Merino wool blanket", 8990),
    ("HOME-1215", "Desk lamp with dimmer", 4900),
    ("HOME-1260", "Bamboo bath towel set", 3450),
    ("KIT-2210", "Stainless steel water bottle 750 ml", 1890),
    ("KIT-2250", "Ceramic teapot 1.2 l", 2990),
    ("KIT-2260", "Loose-leaf tea sampler", 1560),
    ("KIT-2305", "Cast-iron frying pan 28 cm", 5490),
    ("KIT-2340", "Chef's knife 20 cm", 7900),
    ("TECH-3120", "Noise-cancelling headphones", 17900),
    ("TECH-3155", "Bluetooth speaker, waterproof", 6990),
    ("TECH-3301", "E-book reader 6 inch", 11900),
    ("TECH-3340", "USB-C charger 65 W", 3990),
    ("TECH-3375", "Smartwatch strap, silicone", 1490),
    ("BOOK-0815", "Cookbook: Vegetables all year", 2800),
    ("BOOK-0840", "Travel guide: Scottish Highlands", 2200),
    ("SPORT-4410", "Yoga mat, non-slip", 3990),
    ("SPORT-4460", "Running jacket, reflective", 8900),
    ("SPORT-4490", "Trekking poles (pair)", 6490),
    ("TOY-5120", "Wooden marble run", 4490),
    ("TOY-5150", "Puzzle, 1000 pieces", 1799),
)

CARRIERS_BY_COUNTRY = {
    "DE": ("DHL", "DPD", "Hermes", "GLS", "UPS"),
    "AT": ("DHL", "DPD", "GLS", "UPS"),
    "GB": ("Royal Mail", "DPD", "Evri", "UPS"),
    "IE": ("An Post", "DPD", "UPS"),
}
# Where parcels for each country leave from, and the hubs they pass through.
WAREHOUSE_BY_COUNTRY = {"DE": "Kassel", "AT": "Kassel", "IE": "Kassel", "GB": "Milton Keynes"}
HUBS_BY_COUNTRY = {
    "DE": ("Hannover", "Leipzig", "Frankfurt am Main", "Dortmund", "Nürnberg"),
    "AT": ("Wien", "Graz", "Linz"),
    "GB": ("Birmingham", "Warrington", "Coventry", "Bristol"),
    "IE": ("Dublin", "Athlone"),
}
COUNTRY_NAMES = {"DE": "Germany", "AT": "Austria", "GB": "United Kingdom", "IE": "Ireland"}

GERMAN_FIRST_NAMES = (
    "Lukas",
    "Sophie",
    "Jonas",
    "Marie",
    "Felix",
    "Hannah",
    "Maximilian",
    "Lea",
    "Paul",
    "Emilia",
    "Tobias",
    "Julia",
    "Stefan",
    "Katrin",
    "Matthias",
    "Sabine",
    "Florian",
    "Laura",
    "Jürgen",
    "Ute",
    "Mehmet",
    "Aylin",
    "Dominik",
    "Franziska",
)
GERMAN_LAST_NAMES = (
    "Müller",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hartmann",
    "Lange",
    "Yılmaz",
    "Kowalski",
    "Nowak",
    "Weiß",
)
ENGLISH_FIRST_NAMES = (
    "Oliver",
    "Amelia",
    "Harry",
    "Isla",
    "George",
    "Ava",
    "Jack",
    "Emily",
    "Thomas",
    "Grace",
    "Daniel",
    "Chloe",
    "Samuel",
    "Lucy",
    "Aidan",
    "Siobhan",
    "Ciaran",
    "Aoife",
    "Mohammed",
    "Fatima",
    "Ravi",
    "Mei",
)
ENGLISH_LAST_NAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Murphy",
    "Kelly",
    "O'Brien",
    "Byrne",
    "Patel",
    "Khan",
    "Chen",
    "Okafor",
)

GERMAN_STREETS = (
    "Hauptstraße",
    "Bahnhofstraße",
    "Gartenweg",
    "Schillerstraße",
    "Goethestraße",
    "Birkenweg",
    "Am Markt",
    "Kirchgasse",
    "Lindenallee",
    "Mühlenweg",
    "Rosenstraße",
    "Bergstraße",
)
AUSTRIAN_STREETS = ("Mariahilfer Gasse", "Herrengasse", "Lindengasse", "Schulgasse", "Annenstraße")
ENGLISH_STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Park Avenue",
    "Mill Lane",
    "Queen's Road",
    "Kingsway",
    "Orchard Close",
    "Meadow View",
)
# (postcode or its fixed part, city)
CITIES_BY_COUNTRY = {
    "DE": (
        ("10117", "Berlin"),
        ("20095", "Hamburg"),
        ("50667", "Köln"),
        ("60311", "Frankfurt am Main"),
        ("70173", "Stuttgart"),
        ("04109", "Leipzig"),
        ("01067", "Dresden"),
        ("28195", "Bremen"),
        ("90402", "Nürnberg"),
        ("30159", "Hannover"),
        ("44135", "Dortmund"),
        ("24103", "Kiel"),
        ("79098", "Freiburg im Breisgau"),
        ("93047", "Regensburg"),
    ),
    "AT": (("1010", "Wien"), ("8010", "Graz"), ("5020", "Salzburg"), ("6020", "Innsbruck"), ("4020", "Linz")),
    "GB": (
        ("LS6", "Leeds"),
        ("NE1", "Newcastle upon Tyne"),
        ("CF10", "Cardiff"),
        ("EH3", "Edinburgh"),
        ("BS1", "Bristol"),
        ("NG7", "Nottingham"),
        ("YO1", "York"),
        ("B15", "Birmingham"),
    ),
    "IE": (("D04", "Dublin"), ("T12", "Cork"), ("H91", "Galway")),
}
# How many of the drawn customers live in each country (the five demo customers come on top).
CUSTOMERS_PER_COUNTRY = (("DE", 20), ("AT", 4), ("GB", 9), ("IE", 3))
