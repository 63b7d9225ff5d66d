using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CsvHelper;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;

namespace ProductHub.Adapters.Erp;

/// <summary>
/// A plant publication in one ERP's vocabulary: field names, unit codes and plant codes translated by the
/// instance's declarative mapping. The ERP's words live here and in the mapping only.
/// </summary>
public sealed class ErpPayload(ErpMapping mapping, string idempotencyKey, PlantBomPublished publication)
{
    private string Field(string canonical) => mapping.FieldNames.GetValueOrDefault(canonical, canonical);

    private string Unit(string code) => mapping.UnitCodes.GetValueOrDefault(code, code);

    private string Plant => mapping.PlantCodes.GetValueOrDefault(publication.PlantCode, publication.PlantCode);

    private IEnumerable<(string Name, object? Value)> Item()
    {
        var item = publication.Item;
        yield return ("partNumber", item.PartNumber);
        yield return ("revision", item.Revision);
        yield return ("description", item.Description);
        yield return ("unit", Unit(item.Unit));
        yield return ("procurement", item.Procurement.ToString().ToLowerInvariant());
        yield return ("baseQuantity", item.BaseQuantity);
        yield return ("baseUnit", Unit(item.BaseUnit));
        yield return ("effectiveFrom", item.EffectiveFrom.ToString("R", CultureInfo.InvariantCulture));
        yield return ("countryOfOrigin", item.Compliance?.CountryOfOrigin);
        yield return ("standardCost", item.ReferenceData?.StandardCost);
        yield return ("currency", item.ReferenceData?.Currency);
        yield return ("preferredSupplier", item.ReferenceData?.PreferredSupplier);
        yield return ("leadTimeDays", item.ReferenceData?.LeadTimeDays);
        yield return ("storageLocation", item.ReferenceData?.StorageLocation);
    }

    private IEnumerable<IEnumerable<(string Name, object? Value)>> Lines() => publication.Lines.Select(line => new (string, object?)[]
    {
        ("findNumber", line.FindNumber),
        ("component", line.PartNumber),
        ("quantity", line.Quantity),
        ("componentUnit", Unit(line.Unit)),
        ("effectiveFrom", line.Effectivity.From.ToString("R", CultureInfo.InvariantCulture)),
        ("effectiveTo", line.Effectivity.To?.ToString("R", CultureInfo.InvariantCulture)),
        ("referenceDesignators", string.Join(' ', line.ReferenceDesignators)),
    });

    public string ToJson()
    {
        JsonObject Object(IEnumerable<(string Name, object? Value)> fields) =>
            new(fields.Select(f => KeyValuePair.Create(Field(f.Name), Value(f.Value))));
        var json = new JsonObject
        {
            [Field("mappingVersion")] = mapping.Version,
            [Field("idempotencyKey")] = idempotencyKey,
            [Field("plant")] = Plant,
            [Field("version")] = publication.Version,
            [Field("contentHash")] = publication.ContentHash,
            [Field("item")] = Object(Item()),
            [Field("bom")] = new JsonArray(Lines().Select(l => (JsonNode)Object(l)).ToArray()),
        };
        return json.ToJsonString();
    }

    /// <summary>
    /// One ITEM row, then one BOM row per line, under one header: the shape flat-file ERP imports take. People open
    /// these files in spreadsheet programs too, so with <paramref name="escapeFormulas"/> a text cell that a
    /// spreadsheet would run as a formula gets a leading <c>'</c> (OWASP's advice on CSV injection).
    /// </summary>
    public string ToCsv(bool escapeFormulas = true)
    {
        string Cell(object? value) => escapeFormulas && value is string text ? EscapeFormula(text) : Text(value);
        var itemFields = Item().ToList();
        var lineNames = Lines().FirstOrDefault()?.Select(f => f.Name).ToList()
                        ?? ["findNumber", "component", "quantity", "componentUnit", "effectiveFrom", "effectiveTo", "referenceDesignators"];
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions(), leaveOpen: true))
        {
            csv.WriteRecord([.. new[] { "record", "idempotencyKey", "plant" }.Concat(itemFields.Select(f => f.Name)).Concat(lineNames)
                .Select(name => Cell(Field(name)))]);
            csv.WriteRecord(["ITEM", idempotencyKey, Cell(Plant), .. itemFields.Select(f => Cell(f.Value)), .. lineNames.Select(_ => "")]);
            foreach (var line in Lines())
            {
                csv.WriteRecord(["BOM", idempotencyKey, Cell(Plant), .. itemFields.Select(f => f.Name == "partNumber" ? Cell(f.Value) : ""),
                    .. line.Select(f => Cell(f.Value))]);
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// Only text cells: numbers are written as numbers (a spreadsheet reads <c>-5</c> as minus five, not as a formula),
    /// so negative quantities and costs stay numbers.
    /// </summary>
    private static string EscapeFormula(string text) => text.Length > 0 && FormulaStarts.Contains(text[0]) ? "'" + text : text;

    private const string FormulaStarts = "=+-@\t\r";

    /// <summary>
    /// UTF-8 XML whose declaration says so (a string written through an XmlWriter would declare UTF-16, which strict
    /// parsers refuse in a UTF-8 file). Text XML 1.0 cannot carry, which intake refuses but data stored before may
    /// hold, is written escaped rather than failing the delivery.
    /// </summary>
    public string ToXml()
    {
        XElement Element(string name, IEnumerable<(string Name, object? Value)> fields) =>
            new(Field(name), fields.Where(f => f.Value is not null)
                .Select(f => new XElement(Field(f.Name), IntakeLimits.Escaped(Text(f.Value)))));
        var document = new XDocument(new XElement(Field("plantBom"),
            new XAttribute(Field("idempotencyKey"), idempotencyKey),
            new XAttribute(Field("plant"), Plant),
            new XAttribute(Field("version"), publication.Version),
            new XAttribute(Field("mappingVersion"), mapping.Version),
            Element("item", Item()),
            new XElement(Field("bom"), Lines().Select(l => Element("line", l)))));
        using var bytes = new MemoryStream();
        using (var writer = System.Xml.XmlWriter.Create(bytes, new System.Xml.XmlWriterSettings { Indent = true, Encoding = FileErpChannel.Utf8 }))
            document.Save(writer);
        return FileErpChannel.Utf8.GetString(bytes.ToArray());
    }

    private static JsonNode? Value(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        int number => JsonValue.Create(number),
        decimal number => JsonValue.Create(number),
        _ => JsonValue.Create(Text(value)),
    };

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
