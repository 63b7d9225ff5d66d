using System.Text.Json.Nodes;
using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Erp;

/// <summary>
/// The hub's first real ERP: a running Tryton 6.0 of each test's own, reached over its JSON-RPC API. What arrived is
/// read back through Tryton's API (products, BOMs, routings and their links), never through the hub.
/// </summary>
public sealed class when_tryton_is_the_erp(HubFixture fixture) : HubScenario(fixture), IAsyncLifetime
{
    private TrytonServer _tryton = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _tryton = await TrytonServer.StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _tryton.DisposeAsync();
    }

    /// <summary>T-PUMP (10 T-HOUSING, 20 T-BOLT x6, 30 T-GREASE 50 G) is assembled then tested; T-HOUSING (10 T-CASTING 2.5 KG) is machined.</summary>
    private static object Release(string pumpRevision = "A", decimal bolts = 6, string releasedAt = "2026-02-01T08:00:00Z") => Package(
        "REL-TRYTON-" + pumpRevision, releasedAt,
        Routed(new
            {
                partNumber = "T-PUMP", revision = pumpRevision, description = $"Pump rev {pumpRevision}", unit = "EA", type = "make",
                effectiveFrom = pumpRevision == "A" ? "2026-02-01" : "2026-03-01",
                bom = new[] { Line(10, "T-HOUSING", 1), Line(20, "T-BOLT", bolts), Line(30, "T-GREASE", 50, unit: "G") },
            },
            Operation(10, "WC-ASSY", 35, consumes: [10, 20, 30]), Operation(20, "WC-TEST", 15)),
        Routed(new
            {
                partNumber = "T-HOUSING", revision = "A", description = "Housing, machined", unit = "EA", type = "make", effectiveFrom = "2026-02-01",
                bom = new[] { Line(10, "T-CASTING", 2.5m, unit: "KG") },
            },
            Operation(10, "WC-CNC", 22)),
        new { partNumber = "T-CASTING", revision = "A", description = "Housing casting", unit = "KG", type = "buy", effectiveFrom = "2026-02-01" },
        new { partNumber = "T-BOLT", revision = "A", description = "Hex bolt M8x25", unit = "EA", type = "buy", effectiveFrom = "2026-02-01" },
        new { partNumber = "T-GREASE", revision = "A", description = "Assembly grease", unit = "KG", type = "buy", effectiveFrom = "2026-02-01" });

    /// <param name="password">Null: Tryton's own, read by the hub from its file at each login.</param>
    private object Instance(string? password = null, string user = TrytonReader.User, int maxAttempts = 5, Dictionary<string, string>? units = null) => new
    {
        channel = "tryton",
        tryton = new
        {
            url = _tryton.Url, database = TrytonServer.Database, user, password, timeoutSeconds = 10,
            passwordFrom = password is null ? new { file = _tryton.PasswordFile } : null,
        },
        mapping = new { unitCodes = units ?? new Dictionary<string, string> { ["EA"] = "u", ["KG"] = "kg", ["G"] = "g" } },
        retry = new { maxAttempts, backoffSeconds = new[] { 0.5 } },
    };

    private async Task PlantTpBuildsThePump(object instance, string assign = "T-PUMP")
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        (await Api.Send("PUT", "/api/v1/erp-instances/erp-tryton", instance)).Status.ShouldBe(201);
        (await Api.ConfigurePlant("TP", new
        {
            name = "Tryton plant", erpInstance = "erp-tryton",
            rules = new { workCenters = new Dictionary<string, string> { ["WC-ASSY"] = "TP-ASSY", ["WC-TEST"] = "TP-QA", ["WC-CNC"] = "TP-CNC" } },
        })).Status.ShouldBe(201);
        await Api.Assign("TP", assign);
    }

    private async Task<JsonArray> Deliveries(string status) =>
        (await Api.Get($"/api/v1/deliveries?instance=erp-tryton&status={status}&pageSize=100")).Body!["items"]!.AsArray();

    private Task AllAcknowledged(int count) => Wait.Until(async () => (await Deliveries("acknowledged")).Count >= count ? "" : null,
        $"{count} deliveries acknowledged by Tryton", 60);

    private async Task<Dictionary<long, string>> UnitSymbols() =>
        (await _tryton.ReadAsync("product.uom", [], "symbol")).ToDictionary(u => Id(u), u => u["symbol"]!.GetValue<string>());

    private async Task<JsonObject> Template(string code) =>
        (await _tryton.ReadAsync("product.template", [new object[] { "code", "=", code }], "name", "type", "default_uom", "producible", "purchasable", "products"))
        .ShouldHaveSingleItem();

    /// <summary>The BOM Tryton produces a part with: the first of the product's BOM links, with its routing.</summary>
    private async Task<(JsonObject Bom, long? Routing)> CurrentBom(string code)
    {
        var product = Id((await _tryton.ReadAsync("product.product", [new object[] { "code", "=", code }], "id")).ShouldHaveSingleItem());
        var links = await _tryton.ReadAsync("product.product-production.bom", [new object[] { "product", "=", product }], "bom", "routing", "sequence");
        var first = links.OrderBy(l => l["sequence"]?.GetValue<long?>() ?? long.MinValue).ThenBy(Id).First();
        var bom = (await _tryton.ReadAsync("production.bom", [new object[] { "id", "=", first["bom"]!.GetValue<long>() }], "name")).Single();
        return (bom, first["routing"]?.GetValue<long?>());
    }

    private async Task<List<(string Code, double Quantity, string Unit)>> Inputs(long bom, string model = "production.bom.input")
    {
        var symbols = await UnitSymbols();
        var codes = (await _tryton.ReadAsync("product.product", [], "code")).ToDictionary(Id, p => p["code"]!.GetValue<string>());
        return [.. (await _tryton.ReadAsync(model, [new object[] { "bom", "=", bom }], "product", "quantity", "uom"))
            .Select(i => (codes[i["product"]!.GetValue<long>()], i["quantity"]!.GetValue<double>(), symbols[i["uom"]!.GetValue<long>()]))
            .OrderBy(i => i.Item1)];
    }

    private async Task<List<string>> Steps(long routing)
    {
        var operations = (await _tryton.ReadAsync("production.routing.operation", [], "name")).ToDictionary(Id, o => o["name"]!.GetValue<string>());
        return [.. (await _tryton.ReadAsync("production.routing.step", [new object[] { "routing", "=", routing }], "sequence", "operation"))
            .OrderBy(s => s["sequence"]!.GetValue<long>()).Select(s => $"{s["sequence"]} {operations[s["operation"]!.GetValue<long>()]}")];
    }

    private async Task<string> Counts() => string.Join(", ", await Task.WhenAll(
        new[] { "product.template", "product.product", "production.bom", "production.bom.input", "production.routing", "production.routing.step",
            "product.product-production.bom" }.Select(async m => $"{m}: {await _tryton.CountAsync(m)}")));

    private static long Id(JsonObject record) => record["id"]!.GetValue<long>();

    [Fact]
    public async Task a_three_level_release_arrives_as_products_boms_and_routings_with_their_quantities_and_units()
    {
        await PlantTpBuildsThePump(Instance());
        await AllAcknowledged(5);

        // The deliveries run in parallel and name each other's parts: still one product per code.
        foreach (var code in new[] { "T-HOUSING", "T-CASTING", "T-BOLT", "T-GREASE" }) await Template(code);
        var symbols = await UnitSymbols();
        var pump = await Template("T-PUMP");
        (pump["name"]!.GetValue<string>(), pump["type"]!.GetValue<string>(), symbols[pump["default_uom"]!.GetValue<long>()]).ShouldBe(("Pump rev A", "goods", "u"));
        (pump["producible"]!.GetValue<long>(), pump["purchasable"]!.GetValue<long>()).ShouldBe((1, 0));
        var casting = await Template("T-CASTING");
        (casting["name"]!.GetValue<string>(), symbols[casting["default_uom"]!.GetValue<long>()], casting["purchasable"]!.GetValue<long>())
            .ShouldBe(("Housing casting", "kg", 1));

        var (pumpBom, pumpRouting) = await CurrentBom("T-PUMP");
        pumpBom["name"]!.GetValue<string>().ShouldBe("T-PUMP rev A v1 (TP)");
        (await Inputs(Id(pumpBom))).ShouldBe([("T-BOLT", 6.0, "u"), ("T-GREASE", 50.0, "g"), ("T-HOUSING", 1.0, "u")]);
        (await Inputs(Id(pumpBom), "production.bom.output")).ShouldBe([("T-PUMP", 1.0, "u")]);
        (await Steps(pumpRouting!.Value)).ShouldBe(["10 TP-ASSY: Operation 10", "20 TP-QA: Operation 20"]);

        var (housingBom, housingRouting) = await CurrentBom("T-HOUSING");
        (await Inputs(Id(housingBom))).ShouldBe([("T-CASTING", 2.5, "kg")]);
        (await Steps(housingRouting!.Value)).ShouldBe(["10 TP-CNC: Operation 10"]);

        // The acknowledgement names the records Tryton made, as the ERP's reference.
        var delivered = (await Deliveries("acknowledged")).Single(d => d!["partNumber"]!.GetValue<string>() == "T-PUMP")!;
        delivered["reference"]!.GetValue<string>().ShouldContain($"production.bom {Id(pumpBom)}");
    }

    [Fact]
    public async Task a_new_revision_updates_the_same_product_and_becomes_the_bom_tryton_produces_with()
    {
        await PlantTpBuildsThePump(Instance());
        await AllAcknowledged(5);

        (await Api.Release(Release("B", bolts: 8, releasedAt: "2026-02-15T08:00:00Z"))).Status.ShouldBe(201);
        await Wait.Until(async () => (await Deliveries("acknowledged")).Count(d => d!["partNumber"]!.GetValue<string>() == "T-PUMP") == 2 ? "" : null,
            "rev B delivered", 60);

        var pump = await Template("T-PUMP");
        pump["name"]!.GetValue<string>().ShouldBe("Pump rev B");
        pump["products"]!.AsArray().Count.ShouldBe(1);
        var (bom, _) = await CurrentBom("T-PUMP");
        bom["name"]!.GetValue<string>().ShouldBe("T-PUMP rev B v2 (TP)");
        (await Inputs(Id(bom))).ShouldContain(("T-BOLT", 8.0, "u"));
        (await _tryton.ReadAsync("production.bom", [new object[] { "name", "like", "T-PUMP %" }], "name")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task a_replay_and_a_resync_of_the_same_content_create_nothing_new_in_tryton()
    {
        await PlantTpBuildsThePump(Instance());
        await AllAcknowledged(5);
        var before = await Counts();

        var pump = (await Deliveries("acknowledged")).Single(d => d!["partNumber"]!.GetValue<string>() == "T-PUMP")!;
        (await Api.Post($"/api/v1/deliveries/{pump["deliveryId"]}/replay")).Status.ShouldBeInRange(200, 202);
        (await Api.Post("/api/v1/erp-instances/erp-tryton/resync", new { })).Status.ShouldBeInRange(200, 202);
        await Wait.Until(async () =>
        {
            var answer = await Api.Get($"/api/v1/deliveries/{pump["deliveryId"]}");
            return answer.Body!["status"]!.GetValue<string>() == "acknowledged" && answer.Body["rounds"]!.GetValue<int>() == 3 ? "" : null;
        }, "the replay and the resync to be acknowledged", 60);
        await AllAcknowledged(5);

        (await Counts()).ShouldBe(before);
        (await Api.Get($"/api/v1/deliveries/{pump["deliveryId"]}")).Body!["answer"]!.GetValue<string>().ShouldBe("Tryton already had everything");
    }

    [Fact]
    public async Task while_tryton_is_down_deliveries_are_retried_and_land_once_it_is_back()
    {
        await _tryton.StopAsync();
        await PlantTpBuildsThePump(Instance(maxAttempts: 100));
        var failed = await Wait.Until(async () =>
        {
            var pump = (await Api.Get("/api/v1/deliveries?instance=erp-tryton&part=T-PUMP")).Body!["items"]!.AsArray().SingleOrDefault();
            return pump?["attempts"]?.GetValue<int>() >= 2 ? pump : null;
        }, "attempts against a stopped Tryton");
        failed!["lastError"]!.GetValue<string>().ShouldContain("Tryton could not be reached");

        await _tryton.StartAgainAsync();
        await AllAcknowledged(5);
        (await _tryton.ReadAsync("product.template", [new object[] { "code", "=", "T-PUMP" }], "id")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_wrong_password_dead_letters_the_delivery_with_tryton_refusing_the_login()
    {
        // One delivery, by another user than admin: Tryton delays each failed login of a user at random, up to 2^failures s.
        await PlantTpBuildsThePump(Instance(password: "not-the-password", user: "intruder", maxAttempts: 1), assign: "T-BOLT");
        var dead = await Wait.Until(async () => (await Deliveries("deadLettered")).SingleOrDefault(), "the dead letter", 60);
        dead!["lastError"]!.GetValue<string>().ShouldContain("Tryton refused the credentials");
        (await _tryton.CountAsync("product.template")).ShouldBe(0);

        // The password is a secret: the instance answers only that one is set.
        var instance = await Api.Get("/api/v1/erp-instances/erp-tryton");
        instance.Body!["tryton"]!["hasPassword"]!.GetValue<bool>().ShouldBeTrue();
        instance.Text.ShouldNotContain("not-the-password");
    }

    [Fact]
    public async Task its_password_is_a_secret_no_answer_log_line_or_table_holds()
    {
        var password = _tryton.Password;
        await PlantTpBuildsThePump(Instance(password), assign: "T-BOLT");
        await AllAcknowledged(1);

        var answers = new[] { "/api/v1/erp-instances/erp-tryton", "/api/v1/erp-instances", "/api/v1/deliveries?instance=erp-tryton" };
        foreach (var url in answers) (await Api.Get(url)).Text.ShouldNotContain(password);
        (await Api.Get("/api/v1/erp-instances/erp-tryton")).Body!["tryton"]!["passwordSecret"]!["source"]!.GetValue<string>().ShouldBe("stored");
        Logs.Lines.ShouldNotContain(l => l.Contains(password));
        (await DatabaseSearch.TablesHoldingAsync(EventStore.ConnectionStringOf(Host), password)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_unit_tryton_does_not_know_fails_that_delivery_with_a_reason_and_the_others_land()
    {
        await PlantTpBuildsThePump(Instance(maxAttempts: 1, units: new Dictionary<string, string> { ["EA"] = "u", ["KG"] = "kg" }));
        var dead = await Wait.Until(async () => (await Deliveries("deadLettered")).SingleOrDefault(), "the pump's delivery to fail");
        dead!["partNumber"]!.GetValue<string>().ShouldBe("T-PUMP");
        dead["lastError"]!.GetValue<string>().ShouldContain("unit G is Tryton unit symbol 'G', which Tryton has no product.uom for");
        await AllAcknowledged(4);
        (await _tryton.ReadAsync("product.template", [new object[] { "code", "=", "T-PUMP" }], "id")).ShouldBeEmpty();
    }
}
