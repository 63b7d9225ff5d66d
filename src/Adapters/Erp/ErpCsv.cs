using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace ProductHub.Adapters.Erp;

/// <summary>
/// The CSV layout of a delivery, one header over every row: <c>record</c>, <c>idempotencyKey</c>, <c>plant</c>, the
/// item's v1 columns, then each field of the other record kinds once by name (BOM first, in v1's columns, then AML,
/// OPERATION and DOCUMENT sharing a column where names agree), then the item's fields added since v1. So v1's
/// columns keep their places, an ITEM row's field is in the first column of its name and any other row's in the
/// last; every other row also names the item's part number. A list field (an operation's consumes, inspection and
/// documents) is one cell holding the JSON array the JSON payload has there.
/// </summary>
internal static class ErpCsv
{
    private static readonly JsonSerializerOptions ListCell = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(
        IReadOnlyList<string> prefix, string idempotencyKey, string plant, IReadOnlyList<ErpField> item, IReadOnlyList<ErpField> itemAdded,
        IReadOnlyList<ErpSection> sections, bool escapeFormulas)
    {
        string Cell(object? value) => value switch
        {
            ErpList list => ErpPayload.Json(list)!.ToJsonString(ListCell),
            string text when escapeFormulas => EscapeFormula(text),
            _ => ErpPayload.Text(value),
        };
        var tail = sections.SelectMany(s => s.Names).Concat(itemAdded.Select(f => f.Name)).Distinct().ToList();
        var partNumber = ErpRecords.Item.Names.ToList().IndexOf("partNumber");
        string[] Row(string record, IEnumerable<string> itemCells, IEnumerable<ErpField> fields)
        {
            var byName = fields.ToDictionary(f => f.Name, f => f.Value);
            return [record, idempotencyKey, Cell(plant), .. itemCells, .. tail.Select(name => byName.TryGetValue(name, out var value) ? Cell(value) : "")];
        }

        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions(), leaveOpen: true))
        {
            csv.WriteRecord([.. prefix.Concat(item.Select(f => f.Name)).Concat(tail).Select(Cell)]);
            csv.WriteRecord(Row("ITEM", item.Select(f => Cell(f.Value)), itemAdded));
            foreach (var section in sections)
            foreach (var record in section.Records)
                csv.WriteRecord(Row(section.Record, item.Select((f, i) => i == partNumber ? Cell(f.Value) : ""), record));
        }
        return text.ToString();
    }

    /// <summary>
    /// People open these files in spreadsheet programs, which run a text cell beginning like a formula; such a cell
    /// gets a leading <c>'</c> (OWASP's advice on CSV injection). Only text cells: numbers are written as numbers (a
    /// spreadsheet reads <c>-5</c> as minus five, not as a formula), so negative quantities and costs stay numbers.
    /// A list cell begins with <c>[</c>, so the text inside it never starts one.
    /// </summary>
    private static string EscapeFormula(string text) => text.Length > 0 && FormulaStarts.Contains(text[0]) ? "'" + text : text;

    private const string FormulaStarts = "=+-@\t\r";
}
