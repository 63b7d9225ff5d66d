using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.ChangeOrders;

/// <summary>
/// A change order step sends its system the change itself, not only an action: the difference of the affected revision
/// from the one released before it, cut to what that kind of system uses (ERP, MES, QMS, supplier portal).
/// </summary>
public sealed class when_a_change_order_step_carries_the_change(HubFixture fixture) : TestErpScenario(fixture)
{
    private readonly Dictionary<string, TestErp> _systems = [];

    private static JsonNode Pump(string revision, string effectiveFrom, string instruction, decimal bolts, decimal upperLimit, params object[] manufacturers)
    {
        var inspection = new[] { new { characteristic = "Test pressure", nominal = 16m, lowerLimit = 15.5m, upperLimit, unit = "bar" } };
        var pump = Routed(Part("PUMP", revision, effectiveFrom, Line(10, "HOUSING", 1), Line(20, "BOLT", bolts)),
            With(Operation(10, "WC-ASSY", 12, consumes: [10, 20]), "documents", new[] { DocumentReference("WI-1", instruction) }),
            With(Operation(20, "WC-TEST", 6), "inspection", inspection));
        return With(pump, "approvedManufacturers", manufacturers);
    }

    private async Task<JsonNode> ChangeSentTo(string instance) =>
        await Wait.Until(() => Task.FromResult(_systems[instance].Accepted.FirstOrDefault(r => r.Body["changeOrder"] is not null)?.Body["changes"]![0]),
            $"{instance} to take the change order step");

    [Fact]
    public async Task each_kind_of_system_gets_what_it_uses_of_the_difference_from_the_previous_revision()
    {
        var acme = new { manufacturer = "Acme", manufacturerPartNumber = "AC-1" };
        var bolted = new { manufacturer = "Bolted", manufacturerPartNumber = "B-77" };
        (await Api.Release(With(Package("REL-1", "2026-01-10T08:00:00Z", Pump("A", "2026-01-10", "A", 4, 16.5m, acme),
            Part("HOUSING", "A", "2026-01-10"), Part("BOLT", "A", "2026-01-10")), "documents", new[] { Document("WI-1", "A") }))).Status.ShouldBe(201);
        (await Api.Release(With(Package("REL-2", "2026-03-01T08:00:00Z", Pump("B", "2026-04-01", "B", 6, 16.2m, acme, bolted)),
            "documents", new[] { Document("WI-1", "B") }))).Status.ShouldBe(201);
        foreach (var (name, kind) in new[] { ("erp-1", "erp"), ("mes-1", "mes"), ("qms-1", "qms"), ("portal-1", "supplierPortal") })
        {
            _systems[name] = name == "erp-1" ? Erp : await TestErp.StartAsync();
            (await Api.Send("PUT", $"/api/v1/erp-instances/{name}", new { channel = "http", kind, http = new { url = _systems[name].Url } }))
                .Json["kind"]!.GetValue<string>().ShouldBe(kind);
        }
        (await Api.Send("PUT", "/api/v1/change-order-policies/standard", new
        {
            stages = new[] { new { name = "all", steps = _systems.Keys.Select(s => new { name = s, target = s, action = "apply", timeoutSeconds = 5 }) } },
        })).Status.ShouldBe(200);

        (await Api.Post("/api/v1/change-orders", new
        {
            number = "ECO-7", type = "standard", reason = "Longer bolts", requestedEffectivity = "2026-04-01",
            affected = new[] { new { partNumber = "PUMP", revision = "B" } }, approval = new { approvedBy = "plm-approver" },
        })).Status.ShouldBe(201);

        var erp = await ChangeSentTo("erp-1");
        erp["previousRevision"]!.GetValue<string>().ShouldBe("A");
        erp["bom"]!["changed"]!.AsArray().Select(c => (c!["after"]!["findNumber"]!.GetValue<int>(), c["fields"]!.AsArray().Single()!.GetValue<string>()))
            .ShouldBe([(20, "quantity")]);
        erp["approvedManufacturers"]!["added"]!.AsArray().Single()!["manufacturer"]!.GetValue<string>().ShouldBe("Bolted");

        var mes = await ChangeSentTo("mes-1");
        mes["routing"]!["changed"]!.AsArray().Select(c => c!["after"]!["operationNumber"]!.GetValue<int>()).ShouldBe([10, 20]);
        mes["documents"]!["added"]!.AsArray().Select(d => (d!["documentNumber"]!.GetValue<string>(), d["revision"]!.GetValue<string>()))
            .ShouldBe([("WI-1", "B")]);
        mes["documents"]!["removed"]!.AsArray().Single()!["revision"]!.GetValue<string>().ShouldBe("A");
        mes["bom"].ShouldBeNull();
        mes["approvedManufacturers"].ShouldBeNull();

        var qms = await ChangeSentTo("qms-1");
        var inspection = qms["inspection"]!.AsArray().Single()!;
        inspection["operationNumber"]!.GetValue<int>().ShouldBe(20);
        inspection["before"]![0]!["upperLimit"]!.GetValue<decimal>().ShouldBe(16.5m);
        inspection["after"]![0]!["upperLimit"]!.GetValue<decimal>().ShouldBe(16.2m);
        qms["documents"]!["added"]!.AsArray().ShouldBeEmpty();
        qms["routing"].ShouldBeNull();

        var portal = await ChangeSentTo("portal-1");
        portal["approvedManufacturers"]!["added"]!.AsArray().Select(m => m!["manufacturerPartNumber"]!.GetValue<string>()).ShouldBe(["B-77"]);
        portal["approvedManufacturers"]!["removed"]!.AsArray().ShouldBeEmpty();
        portal["routing"].ShouldBeNull();
        portal["inspection"].ShouldBeNull();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var system in _systems.Values.Where(s => s != Erp)) await system.DisposeAsync();
    }
}
