# German dates: "30. Nov. 2026, 16:41" (day with a full stop, 24-hour clock).
DATE_FORMAT = "j. M Y"
DATETIME_FORMAT = "j. M Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
