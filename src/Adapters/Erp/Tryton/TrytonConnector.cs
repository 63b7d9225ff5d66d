using System.Text.Json.Nodes;
using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;

namespace ProductHub.Adapters.Erp.Tryton;

/// <summary>
/// A plant publication made into Tryton's records: a <c>product.template</c> (with its <c>product.product</c>) per part
/// by code, a <c>production.bom</c> per published version, the plant routing as a <c>production.routing</c> of
/// <c>production.routing.step</c>s, and the product's BOM link (<c>product.product-production.bom</c>) put first, so the
/// latest publication is the one Tryton produces with. Every record is looked up before it is made, so a resend,
/// replay or resync of the same content changes nothing; a failure part way leaves what was made to be found again.
/// </summary>
public sealed class TrytonConnector(TrytonRpc tryton)
{
    private readonly List<string> _made = [];

    /// <summary>Tryton BOMs and routings carry no dates: they get the lines and operations effective on this day.</summary>
    private static LocalDate EffectiveDay(PlantBomPublished publication) =>
        LocalDate.Max(publication.Item.EffectiveFrom, publication.RecordedAt.InUtc().Date);

    /// <summary>The names a BOM and a routing of this publication have in Tryton, by which they are found again.</summary>
    private static string RecordName(PlantBomPublished p) => $"{p.PartNumber} rev {p.Revision} v{p.Version} ({p.PlantCode})";

    public async Task<ChannelOutcome.Acknowledged> DeliverAsync(PlantBomPublished publication, ErpMapping mapping)
    {
        var day = EffectiveDay(publication);
        var lines = publication.Lines.Where(l => l.IsEffectiveOn(day)).ToList();
        var operations = (publication.Routing ?? []).Where(o => o.Effectivity.Covers(day)).OrderBy(o => o.OperationNumber).ToList();
        var item = publication.Item;
        var units = await UnitsAsync([item.Unit, item.BaseUnit, .. lines.Select(l => l.Unit)], mapping);

        var (template, product) = await ItemAsync(item, units[item.Unit]);
        var components = new Dictionary<string, long>();
        foreach (var line in lines.DistinctBy(l => l.PartNumber))
            components[line.PartNumber] = await ComponentAsync(line.PartNumber, units[line.Unit]);

        var reference = $"product.template {template}, product.product {product}";
        if (item.Procurement == Procurement.Make && (lines.Count > 0 || operations.Count > 0))
        {
            var name = RecordName(publication);
            var bom = await BomAsync(name, lines, components, units, product, item.BaseQuantity, units[item.BaseUnit]);
            var routing = operations.Count == 0 ? (long?)null : await RoutingAsync(name, operations, bom);
            await LinkFirstAsync(product, bom, routing);
            reference += $", production.bom {bom}" + (routing is { } r ? $", production.routing {r}" : "");
        }
        return new ChannelOutcome.Acknowledged(reference, _made.Count == 0 ? "Tryton already had everything" : "Tryton " + string.Join("; ", _made));
    }

    /// <summary>Each hub unit's <c>product.uom</c> id, through <c>mapping.unitCodes</c> to a Tryton symbol.</summary>
    private async Task<Dictionary<string, long>> UnitsAsync(IEnumerable<string> codes, ErpMapping mapping)
    {
        var symbols = codes.Distinct().ToDictionary(c => c, c => mapping.UnitCodes.GetValueOrDefault(c, c));
        var found = (await tryton.SearchReadAsync("product.uom", [Clause("symbol", "in", new JsonArray([.. symbols.Values.Distinct().Select(s => JsonValue.Create(s))]))], "symbol"))
            .ToDictionary(u => u["symbol"]!.GetValue<string>(), u => Id(u));
        if (symbols.FirstOrDefault(s => !found.ContainsKey(s.Value)) is { Key: not null } missing)
            throw new TrytonException(
                $"unit {missing.Key} is Tryton unit symbol '{missing.Value}', which Tryton has no product.uom for; map it to one in mapping.unitCodes");
        return symbols.ToDictionary(s => s.Key, s => found[s.Value]);
    }

    private async Task<(long Template, long Product)> ItemAsync(PlantItem item, long uom)
    {
        var values = new JsonObject
        {
            ["name"] = item.Description, ["type"] = "goods", ["default_uom"] = uom,
            ["producible"] = item.Procurement == Procurement.Make, ["purchasable"] = item.Procurement == Procurement.Buy,
        };
        if (item.Procurement == Procurement.Buy) values["purchase_uom"] = uom;
        return await TemplateAsync(item.PartNumber, values, updateExisting: true);
    }

    /// <summary>A component the plant has not been sent yet is made with its code alone; its own delivery fills it in.</summary>
    private async Task<long> ComponentAsync(string partNumber, long uom) =>
        (await TemplateAsync(partNumber, new JsonObject { ["name"] = partNumber, ["type"] = "goods", ["default_uom"] = uom }, updateExisting: false)).Product;

    private async Task<(long Template, long Product)> TemplateAsync(string code, JsonObject values, bool updateExisting)
    {
        var fields = values.Select(v => v.Key).Append("products").ToArray();
        if ((await tryton.SearchReadAsync("product.template", [Clause("code", "=", code)], fields)).FirstOrDefault() is { } existing)
        {
            var changed = new JsonObject(values.Where(v => !Same(existing[v.Key], v.Value)).Select(v => KeyValuePair.Create(v.Key, v.Value?.DeepClone())));
            if (updateExisting && changed.Count > 0)
            {
                await tryton.WriteAsync("product.template", Id(existing), changed);
                _made.Add($"updated product.template {Id(existing)} ({string.Join(", ", changed.Select(c => c.Key))})");
            }
            return (Id(existing), existing["products"]!.AsArray()[0]!.GetValue<long>());
        }
        values["code"] = code;
        values["products"] = new JsonArray(new JsonArray("create", new JsonArray(new JsonObject())));
        var template = await tryton.CreateAsync("product.template", values);
        var product = (await tryton.SearchReadAsync("product.product", [Clause("template", "=", template)])).Select(Id).Single();
        _made.Add($"created product.template {template} ({code})");
        return (template, product);
    }

    private async Task<long> BomAsync(
        string name, List<StructureLine> lines, Dictionary<string, long> components, Dictionary<string, long> units, long product,
        decimal baseQuantity, long baseUom)
    {
        if (await FindByNameAsync("production.bom", name) is { } bom) return bom;
        var inputs = lines.Select(l => (JsonNode)new JsonObject { ["product"] = components[l.PartNumber], ["quantity"] = (double)l.Quantity, ["uom"] = units[l.Unit] });
        var created = await tryton.CreateAsync("production.bom", new JsonObject
        {
            ["name"] = name,
            ["inputs"] = Create(inputs),
            ["outputs"] = Create([new JsonObject { ["product"] = product, ["quantity"] = (double)baseQuantity, ["uom"] = baseUom }]),
        });
        _made.Add($"created production.bom {created} ({lines.Count} inputs)");
        return created;
    }

    private async Task<long> RoutingAsync(string name, List<PlantOperation> operations, long bom)
    {
        if (await FindByNameAsync("production.routing", name) is { } routing) return routing;
        var steps = new List<JsonNode>();
        foreach (var operation in operations)
        {
            // Tryton's operations are shared by routings: one per work center and description, like a standard operation.
            var operationName = $"{operation.WorkCenter}: {operation.Description}";
            var id = await FindByNameAsync("production.routing.operation", operationName)
                     ?? await tryton.CreateAsync("production.routing.operation", new JsonObject { ["name"] = operationName });
            steps.Add(new JsonObject { ["sequence"] = operation.OperationNumber, ["operation"] = id });
        }
        var created = await tryton.CreateAsync("production.routing", new JsonObject
        {
            ["name"] = name, ["steps"] = Create(steps), ["boms"] = new JsonArray(new JsonArray("add", new JsonArray(bom))),
        });
        _made.Add($"created production.routing {created} ({operations.Count} steps)");
        return created;
    }

    /// <summary>Tryton produces with the first of a product's BOM links (by sequence): this publication's goes before the others.</summary>
    private async Task LinkFirstAsync(long product, long bom, long? routing)
    {
        var links = await tryton.SearchReadAsync("product.product-production.bom", [Clause("product", "=", product)], "bom", "sequence");
        var others = links.Where(l => l["bom"]!.GetValue<long>() != bom).Select(l => l["sequence"]?.GetValue<long?>() ?? 0).ToList();
        var first = others.Count == 0 ? 10 : others.Min() - 1;
        if (links.FirstOrDefault(l => l["bom"]!.GetValue<long>() == bom) is { } link)
        {
            if (others.Count > 0 && (link["sequence"]?.GetValue<long?>() ?? 0) >= others.Min())
                await tryton.WriteAsync("product.product-production.bom", Id(link), new JsonObject { ["sequence"] = first });
            return;
        }
        var values = new JsonObject { ["product"] = product, ["bom"] = bom, ["sequence"] = first };
        if (routing is { } r) values["routing"] = r;
        _made.Add($"linked production.bom {bom} to product.product {product} as its current BOM");
        await tryton.CreateAsync("product.product-production.bom", values);
    }

    private async Task<long?> FindByNameAsync(string model, string name) =>
        (await tryton.SearchReadAsync(model, [Clause("name", "=", name)])).Select(Id).Cast<long?>().FirstOrDefault();

    private static JsonArray Clause(string field, string op, JsonNode? value) => new(field, op, value);

    private static JsonArray Create(IEnumerable<JsonNode> records) => new(new JsonArray("create", new JsonArray([.. records])));

    private static long Id(JsonObject record) => record["id"]!.GetValue<long>();

    /// <summary>Tryton on SQLite answers booleans as 0 and 1.</summary>
    private static bool Same(JsonNode? have, JsonNode? want) => (have, want) switch
    {
        (JsonValue h, JsonValue w) when w.TryGetValue<bool>(out var flag) => h.TryGetValue<bool>(out var b) ? b == flag : h.TryGetValue<long>(out var n) && (n != 0) == flag,
        _ => JsonNode.DeepEquals(have, want),
    };
}
