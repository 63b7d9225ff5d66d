using System.Text;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Microsoft.VisualBasic.FileIO;

namespace ProductHub.Tests.Support;

/// <summary>
/// What an ERP reads out of a delivery file, by parsers of its own: .NET's VisualBasic CSV parser (not the CsvHelper
/// the hub writes with) and a strict XmlReader that refuses DTDs, as a hardened import would.
/// </summary>
public static class ErpFiles
{
    /// <summary>The rows of a delivery CSV under its header, read by the layout the README documents.</summary>
    public sealed class Csv(List<string> header, List<List<string>> rows)
    {
        public List<string> Header => header;

        public List<List<string>> Rows => rows;

        /// <summary>The rows of one record kind (ITEM, BOM, AML, OPERATION, DOCUMENT).</summary>
        public List<List<string>> Of(string record) => [.. rows.Where(r => r[0] == record)];

        /// <summary>A field of a row: an ITEM row's is the first column of that name, any other row's the last.</summary>
        public string Cell(List<string> row, string name) =>
            row[row[0] == "ITEM" ? header.IndexOf(name) : header.LastIndexOf(name)];

        /// <summary>A list cell: the JSON array the JSON payload has there.</summary>
        public JsonArray List(List<string> row, string name) => JsonNode.Parse(Cell(row, name))!.AsArray();
    }

    public static Csv ReadCsv(string text)
    {
        using var parser = new TextFieldParser(new StringReader(text)) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        // Cells are read as written: a spreadsheet's leading space matters as much as any other character.
        parser.TrimWhiteSpace = false;
        var rows = new List<List<string>>();
        while (!parser.EndOfData) rows.Add([.. parser.ReadFields()!]);
        rows.ShouldAllBe(r => r.Count == rows[0].Count, "every row has a cell for every column");
        return new Csv(rows[0], rows[1..]);
    }

    public static XDocument ReadXml(byte[] bytes)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CheckCharacters = true };
        using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
        return XDocument.Load(reader);
    }

    public static XDocument ReadXml(string text) => ReadXml(new UTF8Encoding(false).GetBytes(text));
}
