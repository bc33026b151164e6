"""Makes the workbooks XLSXReaderTests read, with openpyxl 3.1 (a spreadsheet library that
writes what Excel writes: shared strings, a styles part with date formats, the 1904 date system).

    python3 -m venv /tmp/v && /tmp/v/bin/pip install openpyxl
    /tmp/v/bin/python make-fixtures.py

The files are committed; run this again only to change them (openpyxl stamps the time of
writing into docProps/core.xml, so the bytes change each time).
"""

import datetime

from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904


def basic():
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["公民身份号码", "姓名", "日期", "金额", "备注"])
    # An identity number typed as text, a date, an amount, text with XML's special characters.
    sheet.append(["11010119900307663X", "张三", datetime.date(2026, 11, 30), 1234.5, 'A & B <c> "d"'])
    # An identity number typed as a number (openpyxl writes the integer whole; Excel would
    # write 1.10101199003077E+17), a boolean, an empty cell between two values.
    sheet.append([110101199003076636, "李四", datetime.date(1999, 1, 1), 7, None])
    sheet["E3"] = True
    # A blank row, then a row with a gap: A and D only.
    sheet["A5"] = "王五"
    sheet["D5"] = -0.5
    # A cell with formatting but no value: its row is passed over.
    sheet["B6"].number_format = "yyyy-mm-dd"
    sheet["A7"] = "最后"
    # A custom date format, and a time of day (not a date).
    sheet["B7"] = datetime.date(2000, 2, 29)
    sheet["B7"].number_format = 'yyyy"年"m"月"d"日"'
    sheet["C7"] = 0.5
    sheet["C7"].number_format = "h:mm"
    other = book.create_sheet("其他")
    other.append(["not", "this", "sheet"])
    book.save("openpyxl-basic.xlsx")


def mac1904():
    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["day"])
    sheet.append([datetime.date(2026, 11, 30)])
    sheet.append([datetime.date(1904, 1, 2)])
    book.save("openpyxl-1904.xlsx")


basic()
mac1904()
