using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;

namespace ProductHub.Adapters.Erp;

/// <summary>
/// A plant publication in one ERP's vocabulary: field names, unit codes and plant codes translated by the
/// instance's declarative mapping, the records as <see cref="ErpRecords"/> lists them. The ERP's words live here
/// and in the mapping only.
/// </summary>
public sealed class ErpPayload
{
    private readonly ErpMapping _mapping;
    private readonly string _idempotencyKey;
    private readonly PlantBomPublished _publication;
    private readonly IReadOnlyList<ErpField> _item;
    private readonly IReadOnlyList<ErpField> _itemAdded;
    private readonly IReadOnlyList<ErpSection> _sections;

    public ErpPayload(ErpMapping mapping, string idempotencyKey, PlantBomPublished publication)
    {
        _mapping = mapping;
        _idempotencyKey = idempotencyKey;
        _publication = publication;
        _item = Mapped(ErpRecords.Item.Of(publication.Item));
        _itemAdded = Mapped(ErpRecords.ItemCompliance.Of(publication.Item));
        _sections = [.. ErpRecords.Sections(publication).Select(s => s with
        {
            Collection = Field(s.Collection), Element = Field(s.Element), Names = [.. s.Names.Select(Field)],
            Records = [.. s.Records.Select(Mapped)],
        })];
    }

    private string Field(string canonical) => _mapping.FieldNames.GetValueOrDefault(canonical, canonical);

    private string Unit(string code) => _mapping.UnitCodes.GetValueOrDefault(code, code);

    private string Plant => _mapping.PlantCodes.GetValueOrDefault(_publication.PlantCode, _publication.PlantCode);

    private IReadOnlyList<ErpField> Mapped(IReadOnlyList<ErpField> fields) => [.. fields.Select(f => new ErpField(Field(f.Name), Mapped(f.Value)))];

    private object? Mapped(object? value) => value switch
    {
        UnitCode unit => Unit(unit.Code),
        ErpList list => new ErpList(Field(list.Element), [.. list.Items.Select(i => i is IReadOnlyList<ErpField> record ? Mapped(record) : i)]),
        _ => value,
    };

    public string ToJson()
    {
        var json = new JsonObject
        {
            [Field("mappingVersion")] = _mapping.Version,
            [Field("idempotencyKey")] = _idempotencyKey,
            [Field("plant")] = Plant,
            [Field("version")] = _publication.Version,
            [Field("contentHash")] = _publication.ContentHash,
            [Field("item")] = Object([.. _item, .. _itemAdded]),
        };
        foreach (var section in _sections) json[section.Collection] = new JsonArray([.. section.Records.Select(Object)]);
        return json.ToJsonString();
    }

    /// <summary>
    /// One ITEM row, then one row per BOM line, approved manufacturer, operation and document, under one header: the
    /// shape flat-file ERP imports take (the layout is <see cref="ErpCsv"/>'s).
    /// </summary>
    public string ToCsv(bool escapeFormulas = true) =>
        ErpCsv.Write([Field("record"), Field("idempotencyKey"), Field("plant")], _idempotencyKey, Plant, _item, _itemAdded, _sections, escapeFormulas);

    /// <summary>
    /// UTF-8 XML whose declaration says so (a string written through an XmlWriter would declare UTF-16, which strict
    /// parsers refuse in a UTF-8 file). Text XML 1.0 cannot carry, which intake refuses but data stored before may
    /// hold, is written escaped rather than failing the delivery.
    /// </summary>
    public string ToXml()
    {
        var document = new XDocument(new XElement(Field("plantBom"),
            new XAttribute(Field("idempotencyKey"), _idempotencyKey),
            new XAttribute(Field("plant"), Plant),
            new XAttribute(Field("version"), _publication.Version),
            new XAttribute(Field("mappingVersion"), _mapping.Version),
            Element(Field("item"), [.. _item, .. _itemAdded]),
            _sections.Select(s => new XElement(s.Collection, s.Records.Select(r => Element(s.Element, r))))));
        using var bytes = new MemoryStream();
        using (var writer = System.Xml.XmlWriter.Create(bytes, new System.Xml.XmlWriterSettings { Indent = true, Encoding = FileErpChannel.Utf8 }))
            document.Save(writer);
        return FileErpChannel.Utf8.GetString(bytes.ToArray());
    }

    /// <summary>A record's element: one child per field that has a value, a list field's values each in an element of their own.</summary>
    private static XElement Element(string name, IEnumerable<ErpField> fields) =>
        new(name, fields.Where(f => f.Value is not null).Select(f => new XElement(f.Name, f.Value is ErpList list
            ? list.Items.Select(i => i is IReadOnlyList<ErpField> record ? Element(list.Element, record) : new XElement(list.Element, Text(i)))
            : IntakeLimits.Escaped(Text(f.Value)))));

    private static JsonNode Object(IEnumerable<ErpField> fields) => new JsonObject(fields.Select(f => KeyValuePair.Create(f.Name, Json(f.Value))));

    internal static JsonNode? Json(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        int number => JsonValue.Create(number),
        decimal number => JsonValue.Create(number),
        bool flag => JsonValue.Create(flag),
        ErpList list => new JsonArray([.. list.Items.Select(i => i is IReadOnlyList<ErpField> record ? Object(record) : Json(i))]),
        _ => JsonValue.Create(Text(value)),
    };

    /// <summary>Numbers in invariant culture, booleans as JSON and XML Schema write them.</summary>
    internal static string Text(object? value) => value is bool flag
        ? flag ? "true" : "false"
        : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
