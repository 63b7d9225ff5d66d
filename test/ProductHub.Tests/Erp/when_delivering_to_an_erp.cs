using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Erp;

/// <summary>Plant publications reach the plant's ERP instance over HTTP, durably, once per key, and are acknowledged.</summary>
public sealed class when_delivering_to_an_erp(HubFixture fixture) : TestErpScenario(fixture)
{
    private object Instance(int maxAttempts = 3, bool withMapping = false, int timeoutSeconds = 1) => new
    {
        channel = "http",
        http = new { url = Erp.Url, authHeader = "Bearer s3cret", timeoutSeconds },
        retry = new { maxAttempts, backoffSeconds = new[] { 0.2 } },
        mapping = withMapping
            ? new { version = "v1", fieldNames = new Dictionary<string, string> { ["partNumber"] = "MATNR", ["component"] = "IDNRK" },
                    unitCodes = new Dictionary<string, string> { ["EA"] = "PCE" }, plantCodes = new Dictionary<string, string> { ["P1"] = "1000" } }
            : null,
    };

    private async Task PlantP1BuildsTheHousing(int maxAttempts = 3, bool withMapping = false, int timeoutSeconds = 1)
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        var instance = await Api.Send("PUT", "/api/v1/erp-instances/erp-test", Instance(maxAttempts, withMapping, timeoutSeconds));
        instance.Status.ShouldBe(201, instance.ToString());
        await Api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-test" });
        await Api.Settled(api => api.Assign("P1", "HOUSING"));
    }

    private async Task<List<JsonNode>> Deliveries(string query = "instance=erp-test") =>
        (await Api.Get($"/api/v1/deliveries?{query}")).Items.Select(d => d!).ToList();

    private async Task<List<JsonNode>> AllDeliveries(string status, int count)
    {
        try
        {
            return await Wait.Until(async () =>
            {
                var found = await Deliveries($"instance=erp-test&status={status}");
                return found.Count == count ? found : null;
            }, $"{count} deliveries to be {status}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; deliveries: {(await Api.Get("/api/v1/deliveries")).Json.ToJsonString()}");
        }
    }

    [Fact]
    public async Task each_publication_reaches_the_erp_with_its_key_and_is_acknowledged()
    {
        await PlantP1BuildsTheHousing(withMapping: true);

        var acknowledged = await AllDeliveries("acknowledged", 3);

        Erp.Requests.Select(r => r.IdempotencyKey).ShouldBe(acknowledged.Select(d => d["idempotencyKey"]!.GetValue<string>()), ignoreOrder: true);
        Erp.Requests.ShouldAllBe(r => r.Authorization == "Bearer s3cret");
        var housing = Erp.Requests.Single(r => r.Body["item"]!["MATNR"]!.GetValue<string>() == "HOUSING").Body;
        housing["plant"]!.GetValue<string>().ShouldBe("1000");
        housing["item"]!["unit"]!.GetValue<string>().ShouldBe("PCE");
        housing["bom"]!.AsArray().Select(l => l!["IDNRK"]!.GetValue<string>()).ShouldBe(["CASTING", "BOLT"]);
        acknowledged.ShouldAllBe(d => d["latencyMilliseconds"]!.GetValue<double>() > 0);
        acknowledged.ShouldAllBe(d => d["reference"]!.GetValue<string>().StartsWith("ERP-"));
        var instance = (await Api.Get("/api/v1/erp-instances/erp-test")).Json;
        instance["hasAuthHeader"]!.GetValue<bool>().ShouldBeTrue();
        instance.ToJsonString().ShouldNotContain("s3cret");
    }

    [Fact]
    public async Task what_the_erp_receives_keeps_to_the_published_delivery_schema()
    {
        await PlantP1BuildsTheHousing();
        await AllDeliveries("acknowledged", 3);

        var schema = ProductHub.Adapters.Contracts.ContractSchema.Get("erp/v1/plant-bom-delivery.schema.json");
        foreach (var request in Erp.Requests)
        {
            using var body = System.Text.Json.JsonDocument.Parse(request.Body.ToJsonString());
            schema.Validate(body.RootElement).ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task the_hubs_metrics_count_the_deliveries_and_their_latency()
    {
        // Names of their own: the meter is process-wide, and other scenarios' hosts report under the shared names.
        (await Api.Release(Release())).Status.ShouldBe(201);
        await Api.Send("PUT", "/api/v1/erp-instances/erp-metrics", new { channel = "http", http = new { url = Erp.Url, timeoutSeconds = 5 } });
        await Api.ConfigurePlant("PM", new { name = "Plant", erpInstance = "erp-metrics" });
        await Api.Settled(api => api.Assign("PM", "HOUSING"));
        await Wait.Until(async () => (await Deliveries("instance=erp-metrics&status=acknowledged")).Count == 3 ? "" : null, "the deliveries");

        (await Scrape.Metric(Host, "producthub_deliveries_total", "instance=\"erp-metrics\"", "outcome=\"acknowledged\"")).ShouldBe(3);
        (await Scrape.Metric(Host, "producthub_release_to_erp_latency_milliseconds_count", "instance=\"erp-metrics\"")).ShouldBe(3);
        (await Scrape.Metric(Host, "producthub_plant_publications_total", "plant=\"PM\"")).ShouldBe(3);
    }

    [Fact]
    public async Task a_failing_erp_is_retried_until_it_takes_the_delivery()
    {
        Erp.FailNext = 2;

        await PlantP1BuildsTheHousing();

        var acknowledged = await AllDeliveries("acknowledged", 3);
        acknowledged.Sum(d => d["attempts"]!.GetValue<int>()).ShouldBe(5);
        Erp.Applied.Values.ShouldAllBe(n => n == 1);
    }

    [Fact]
    public async Task a_dropped_connection_and_a_slow_answer_count_as_failures_and_are_retried()
    {
        Erp.DropNext = 1;
        Erp.SlowNext = 1;
        Erp.SlowBy = TimeSpan.FromSeconds(3);

        await PlantP1BuildsTheHousing();

        var acknowledged = await AllDeliveries("acknowledged", 3);
        acknowledged.Sum(d => d["attempts"]!.GetValue<int>()).ShouldBe(5);
        var history = (await Api.Get("/api/v1/deliveries?instance=erp-test")).Items;
        history.ShouldAllBe(d => d!["status"]!.GetValue<string>() == "acknowledged");
        // The slow answer came after the hub gave up, so that delivery went twice under one key: the ERP can tell.
        Erp.Applied.Count.ShouldBe(3);
    }

    [Fact]
    public async Task after_the_retry_limit_a_delivery_is_dead_lettered_and_a_replay_sends_it_again()
    {
        Erp.AlwaysFail = true;
        await PlantP1BuildsTheHousing(maxAttempts: 2);

        var dead = await AllDeliveries("deadLettered", 3);
        dead.ShouldAllBe(d => d["attempts"]!.GetValue<int>() == 2 && d["lastError"]!.GetValue<string>().StartsWith("HTTP 500"));

        Erp.AlwaysFail = false;
        var one = dead[0]["deliveryId"]!.GetValue<string>();
        (await Api.Settled(api => api.Post($"/api/v1/deliveries/{one}/replay", new { }))).Status.ShouldBe(202);
        (await Api.Get($"/api/v1/deliveries/{one}")).Json["status"]!.GetValue<string>().ShouldBe("acknowledged");
        var bulk = await Api.Settled(api => api.Post("/api/v1/deliveries/replay", new { instance = "erp-test" }));
        bulk.Json["deliveries"]!.GetValue<int>().ShouldBe(2);
        await AllDeliveries("acknowledged", 3);
    }

    [Fact]
    public async Task an_acknowledgement_received_twice_is_recorded_once()
    {
        Erp.Acknowledges = false;
        await PlantP1BuildsTheHousing();
        var sent = await AllDeliveries("sent", 3);
        var id = sent[0]["deliveryId"]!.GetValue<string>();

        var first = await Api.Post($"/api/v1/deliveries/{id}/ack", new { reference = "4711" });
        var second = await Api.Post($"/api/v1/deliveries/{id}/ack", new { reference = "4711" });

        first.Json["duplicate"]!.GetValue<bool>().ShouldBeFalse();
        second.Json["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        second.Json["delivery"]!["acknowledgedAt"]!.GetValue<string>().ShouldBe(first.Json["delivery"]!["acknowledgedAt"]!.GetValue<string>());
        (await Api.Post("/api/v1/deliveries/DL-NOPE/ack", new { })).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_resync_sends_the_same_keys_so_the_erp_applies_nothing_twice()
    {
        await PlantP1BuildsTheHousing();
        await AllDeliveries("acknowledged", 3);
        var requestsBefore = Erp.Requests.Count;

        var resync = await Api.Settled(api => api.Post("/api/v1/erp-instances/erp-test/resync", new { parts = new[] { "HOUSING", "BOLT" } }));

        resync.Json["deliveries"]!.GetValue<int>().ShouldBe(2);
        await Wait.Until(() => Task.FromResult(Erp.Requests.Count == requestsBefore + 2 ? "" : null), "the resync to arrive");
        Erp.Applied.Count.ShouldBe(3);
        var housing = (await Deliveries("instance=erp-test&part=HOUSING")).Single();
        housing["rounds"]!.GetValue<int>().ShouldBe(2);
        housing["status"]!.GetValue<string>().ShouldBe("acknowledged");
    }

    [Fact]
    public async Task two_quick_releases_never_apply_the_older_version_after_the_newer()
    {
        await PlantP1BuildsTheHousing();
        await AllDeliveries("acknowledged", 3);

        await Api.Settled(async api =>
        {
            await api.Release(new { packageId = "REL-B", source = "plm-test", releasedAt = "2026-02-10T08:00:00Z",
                parts = new[] { new { partNumber = "HOUSING", revision = "B", description = "HOUSING", unit = "EA", type = "make",
                    effectiveFrom = "2026-02-10", bom = new[] { Line(10, "CASTING", 1), Line(20, "BOLT", 6) } } } });
            return await api.Release(new { packageId = "REL-C", source = "plm-test", releasedAt = "2026-02-11T08:00:00Z",
                parts = new[] { new { partNumber = "HOUSING", revision = "C", description = "HOUSING", unit = "EA", type = "make",
                    effectiveFrom = "2026-02-11", bom = new[] { Line(10, "CASTING", 1), Line(20, "BOLT", 4) } } } });
        });

        var versions = Erp.Requests.Select(r => r.Body).Where(b => b["item"]!["partNumber"]!.GetValue<string>() == "HOUSING")
            .Select(b => b["version"]!.GetValue<int>()).ToList();
        versions.ShouldBe(versions.Order().ToList());
        versions[^1].ShouldBe(3);
        var housing = await Deliveries("instance=erp-test&part=HOUSING");
        housing.Single(d => d["mbomVersion"]!.GetValue<int>() == 3)["status"]!.GetValue<string>().ShouldBe("acknowledged");
    }

    [Fact]
    public async Task a_slow_answer_for_one_part_holds_up_only_that_part()
    {
        Erp.SlowNext = 1;
        Erp.SlowBy = TimeSpan.FromSeconds(4);

        await PlantP1BuildsTheHousing(timeoutSeconds: 10);

        await AllDeliveries("acknowledged", 3);
        // Deliveries of other parts went on while the first one waited for its answer.
        var slow = Erp.Requests.First().IdempotencyKey;
        Erp.Accepted.Select(a => a.IdempotencyKey).Last().ShouldBe(slow);
        Erp.Applied.Values.ShouldAllBe(n => n == 1);
    }

    [Fact]
    public async Task a_bad_instance_names_the_field_and_an_unknown_one_is_not_found()
    {
        var bad = await Api.Send("PUT", "/api/v1/erp-instances/erp-x", new { channel = "http", http = new { url = "not a url" } });

        bad.Status.ShouldBe(400, bad.ToString());
        bad.ErrorFields.ShouldContain("$.http.url");
        (await Api.Get("/api/v1/erp-instances/erp-x")).Status.ShouldBe(404);
        (await Api.Post("/api/v1/erp-instances/erp-x/resync", new { })).Status.ShouldBe(404);
        (await Api.Get("/api/v1/deliveries?status=lost")).ErrorFields.ShouldBe(["status"]);
    }
}
