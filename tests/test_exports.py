import csv
import io

from village.exports import csv_response, safe_cell


def test_formula_cells_are_made_plain_text():
    for formula in ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]:
        assert safe_cell(formula) == "'" + formula
    assert safe_cell("Nguyễn Thị Hoa") == "Nguyễn Thị Hoa"
    assert safe_cell(None) == "" and safe_cell(3) == "3"


def test_csv_response_streams_with_a_bom_for_spreadsheets():
    response = csv_response("x.csv", ["name"], [["=1+1"], ["محمد"]])
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body.lstrip("\ufeff")))) == [["name"], ["'=1+1"], ["محمد"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
