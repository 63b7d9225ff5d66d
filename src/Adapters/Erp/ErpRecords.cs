using System.Globalization;
using System.Text.Json;
using NodaTime;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;

namespace ProductHub.Adapters.Erp;

/// <summary>A field of a payload record by canonical name: text, a number, a boolean, null, a <see cref="UnitCode"/> or an <see cref="ErpList"/>.</summary>
internal sealed record ErpField(string Name, object? Value);

/// <summary>A list field's values, each a scalar or a record (a list of fields); in XML each is an element named <c>Element</c>.</summary>
internal sealed record ErpList(string Element, IReadOnlyList<object> Items);

/// <summary>A unit of measure, written in the instance's unit codes.</summary>
internal sealed record UnitCode(string Code);

/// <summary>The records of one kind after the item: the CSV record kind, the JSON array and XML element holding them, the XML element of each.</summary>
internal sealed record ErpSection(
    string Record, string Collection, string Element, IReadOnlyList<string> Names, IReadOnlyList<IReadOnlyList<ErpField>> Records);

/// <summary>The fields of one kind of record, in order, each read from the domain's value.</summary>
internal sealed class RecordShape<T>(params (string Name, Func<T, object?> Value)[] fields)
{
    public IReadOnlyList<string> Names { get; } = [.. fields.Select(f => f.Name)];

    public IReadOnlyList<ErpField> Of(T source) => [.. fields.Select(f => new ErpField(f.Name, f.Value(source)))];

    public ErpList List(string element, IEnumerable<T> sources) => new(element, [.. sources.Select(Of)]);
}

/// <summary>
/// What each record of a delivery holds, in canonical field names: the one list JSON, CSV and XML all write from.
/// A field is only ever added here (v1: receivers keep reading the fields they know).
/// </summary>
internal static class ErpRecords
{
    /// <summary>The item's fields of the first v1 payload, in their CSV columns.</summary>
    public static readonly RecordShape<PlantItem> Item = new(
        ("partNumber", i => i.PartNumber),
        ("revision", i => i.Revision),
        ("description", i => i.Description),
        ("unit", i => new UnitCode(i.Unit)),
        ("procurement", i => i.Procurement.ToString().ToLowerInvariant()),
        ("baseQuantity", i => i.BaseQuantity),
        ("baseUnit", i => new UnitCode(i.BaseUnit)),
        ("effectiveFrom", i => Date(i.EffectiveFrom)),
        ("countryOfOrigin", i => i.Compliance?.CountryOfOrigin),
        ("standardCost", i => i.ReferenceData?.StandardCost),
        ("currency", i => i.ReferenceData?.Currency),
        ("preferredSupplier", i => i.ReferenceData?.PreferredSupplier),
        ("leadTimeDays", i => i.ReferenceData?.LeadTimeDays),
        ("storageLocation", i => i.ReferenceData?.StorageLocation));

    /// <summary>The item's fields added since: with the others in JSON and XML, in CSV after every column v1 had.</summary>
    public static readonly RecordShape<PlantItem> ItemCompliance = new(
        ("rohs", i => i.Compliance?.Rohs),
        ("reach", i => i.Compliance?.Reach));

    private static readonly RecordShape<StructureLine> Line = new(
        ("findNumber", l => l.FindNumber),
        ("component", l => l.PartNumber),
        ("quantity", l => l.Quantity),
        ("componentUnit", l => new UnitCode(l.Unit)),
        ("effectiveFrom", l => Date(l.Effectivity.From)),
        ("effectiveTo", l => Date(l.Effectivity.To)),
        ("referenceDesignators", l => string.Join(' ', l.ReferenceDesignators)));

    private static readonly RecordShape<ApprovedManufacturer> Manufacturer = new(
        ("manufacturer", m => m.Manufacturer),
        ("manufacturerPartNumber", m => m.ManufacturerPartNumber));

    private static readonly RecordShape<InspectionCharacteristic> Inspection = new(
        ("characteristic", c => c.Characteristic),
        ("nominal", c => c.Nominal),
        ("lowerLimit", c => c.LowerLimit),
        ("upperLimit", c => c.UpperLimit),
        ("unit", c => c.Unit is { } unit ? new UnitCode(unit) : null));

    private static readonly RecordShape<DocumentReference> Reference = new(
        ("documentNumber", d => d.DocumentNumber),
        ("revision", d => d.Revision));

    private static readonly RecordShape<PlantOperation> Operation = new(
        ("operationNumber", o => o.OperationNumber),
        ("description", o => o.Description),
        ("workCenter", o => o.WorkCenter),
        ("canonicalWorkCenter", o => o.CanonicalWorkCenter),
        ("setupMinutes", o => o.Times.SetupMinutes),
        ("runMinutes", o => o.Times.RunMinutes),
        ("runQuantity", o => o.Times.RunQuantity),
        ("cleanupMinutes", o => o.Times.CleanupMinutes),
        ("batching", o => JsonNamingPolicy.CamelCase.ConvertName(o.Times.Batching.ToString())),
        ("effectiveFrom", o => Date(o.Effectivity.From)),
        ("effectiveTo", o => Date(o.Effectivity.To)),
        ("consumes", o => new ErpList("findNumber", [.. o.Consumes.Cast<object>()])),
        ("inspection", o => Inspection.List("inspectionCharacteristic", o.Inspection)),
        ("documents", o => Reference.List("document", o.Documents ?? [])));

    private static readonly RecordShape<DocumentRevision> Document = new(
        ("documentNumber", d => d.DocumentNumber),
        ("revision", d => d.Revision),
        ("title", d => d.Title),
        ("kind", d => d.Kind),
        ("uri", d => d.Uri),
        ("sha256", d => d.Sha256));

    /// <summary>BOM lines as v1 had them, then the kinds added since; routing and documents are null in publications made before them.</summary>
    public static IReadOnlyList<ErpSection> Sections(PlantBomPublished publication) =>
    [
        Section("BOM", "bom", "line", Line, publication.Lines),
        Section("AML", "approvedManufacturers", "approvedManufacturer", Manufacturer, publication.Item.ApprovedManufacturers),
        Section("OPERATION", "routing", "operation", Operation, publication.Routing ?? []),
        Section("DOCUMENT", "documents", "document", Document, publication.Documents ?? []),
    ];

    private static ErpSection Section<T>(string record, string collection, string element, RecordShape<T> shape, IEnumerable<T> sources) =>
        new(record, collection, element, shape.Names, [.. sources.Select(shape.Of)]);

    private static string? Date(LocalDate? date) => date?.ToString("R", CultureInfo.InvariantCulture);
}
