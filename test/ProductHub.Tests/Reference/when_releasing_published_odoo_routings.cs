using System.Globalization;
using System.Xml.Linq;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Reference;

/// <summary>
/// Odoo's demo routings (<c>mrp.routing.workcenter</c> in Odoo's own <c>mrp_demo.xml</c>, read here with an XML parser,
/// not through the converter), released with their BOMs: each routing comes back in Odoo's sequence, at its work
/// centers, consuming the lines Odoo assigns to each operation, and a quantity takes the minutes Odoo plans: the
/// cycle time for every started cycle of a work center of capacity 1.
/// </summary>
public sealed class when_releasing_published_odoo_routings(HubFixture fixture) : HubScenario(fixture)
{
    private const string Dataset = "odoo-mrp-demo";
    private const int Quantity = 3;

    private sealed record OdooOperation(string Id, string Name, string WorkCenter, decimal CycleMinutes, int Sequence, int Order);

    [Fact]
    public async Task every_routing_comes_back_in_odoos_sequence_with_its_work_centers_lines_and_times()
    {
        var odoo = XDocument.Load(Path.Combine(ReferenceData.Folder(Dataset), "raw", "mrp_demo.xml"));
        var records = odoo.Descendants("record").ToList();
        string? Field(XElement record, string name) =>
            record.Elements("field").FirstOrDefault(f => (string?)f.Attribute("name") == name) is { } f ? (string?)f.Attribute("ref") ?? f.Value : null;
        List<XElement> Of(string model) => records.Where(r => (string?)r.Attribute("model") == model).ToList();
        static string Id(string reference) => reference.StartsWith("mrp.", StringComparison.Ordinal) ? reference[4..] : reference;

        var workCenters = Of("mrp.workcenter").ToDictionary(r => (string)r.Attribute("id")!, r => Field(r, "name")!);
        var operationsByRouting = Of("mrp.routing.workcenter")
            .Select((r, order) => (Routing: Field(r, "routing_id")!, Operation: new OdooOperation((string)r.Attribute("id")!, Field(r, "name")!,
                workCenters[Field(r, "workcenter_id")!], decimal.Parse(Field(r, "time_cycle")!, CultureInfo.InvariantCulture),
                int.Parse(Field(r, "sequence")!, CultureInfo.InvariantCulture), order)))
            .ToLookup(x => x.Routing, x => x.Operation);
        var routingOfBom = Of("mrp.bom").Where(b => Field(b, "routing_id") is not null)
            .ToDictionary(b => (string)b.Attribute("id")!, b => Field(b, "routing_id")!);
        var operationOfLine = Of("mrp.bom.line").Where(l => Field(l, "operation_id") is not null)
            .ToDictionary(l => (string)l.Attribute("id")!, l => Id(Field(l, "operation_id")!));

        // Odoo runs a routing's operations by sequence, then in the order they were defined.
        List<OdooOperation>? RoutingOf(System.Text.Json.Nodes.JsonNode part) =>
            part["bomRef"]?.GetValue<string>() is { } bom && routingOfBom.TryGetValue(Id(bom), out var routing)
                ? operationsByRouting[routing].OrderBy(o => o.Sequence).ThenBy(o => o.Order).ToList()
                : null;
        List<int> Consumed(System.Text.Json.Nodes.JsonNode part, OdooOperation operation) =>
            part["bom"]!.AsArray().Select((line, i) => (Ref: Id(line!["sourceRef"]!.GetValue<string>()), FindNumber: ReferenceData.FindNumber(i)))
                .Where(l => operationOfLine.GetValueOrDefault(l.Ref) == operation.Id).Select(l => l.FindNumber).ToList();

        var data = ReferenceData.Load(Dataset);
        await ReferenceData.ReleaseAsync(Api, data, part => RoutingOf(part)?.Select((o, i) => (object)new
        {
            operationNumber = (i + 1) * 10, description = o.Name, workCenter = o.WorkCenter, runMinutes = o.CycleMinutes,
            runQuantity = 1, batching = "wholeBatches", consumes = Consumed(part, o),
        }).ToArray());

        var routed = data["parts"]!.AsArray().Select(p => p!).Where(p => RoutingOf(p) is not null).ToList();
        routed.Count.ShouldBeGreaterThan(2);
        foreach (var part in routed)
        {
            var partNumber = part["partNumber"]!.GetValue<string>();
            var routing = await Api.Get($"/api/v1/parts/{Uri.EscapeDataString(partNumber)}/routing?quantity={Quantity}");
            routing.Status.ShouldBe(200, routing.ToString());

            var expected = RoutingOf(part)!;
            var served = routing.Json["operations"]!.AsArray().Select(o => o!).ToList();
            served.Select(o => (o["description"]!.GetValue<string>(), o["workCenter"]!.GetValue<string>(), o["minutes"]!.GetValue<decimal>()))
                .ShouldBe(expected.Select(o => (o.Name, o.WorkCenter, o.CycleMinutes * Quantity)), $"{partNumber}'s routing");
            served.Select(o => o["consumes"]!.AsArray().Select(f => f!.GetValue<int>()).ToList())
                .ShouldBe(expected.Select(o => Consumed(part, o)), $"{partNumber}'s lines by operation");
            routing.Json["totalMinutes"]!.GetValue<decimal>().ShouldBe(expected.Sum(o => o.CycleMinutes) * Quantity);
        }
    }
}
