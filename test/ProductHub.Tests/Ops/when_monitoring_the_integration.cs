using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Ops;

/// <summary>
/// The integration monitor after real releases and deliveries: one ERP that acknowledged, one that has not yet,
/// one that cannot be reached, and a plant whose rules leave parts incomplete.
/// </summary>
public sealed class when_monitoring_the_integration(HubFixture fixture) : TestErpScenario(fixture)
{
    // Plant names of their own: the meter is process-wide, and other scenarios count under the shared names.
    private async Task ThreeErpsInThreeStates()
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        await Api.Send("PUT", "/api/v1/erp-instances/erp-ok", new { channel = "http", http = new { url = Erp.Url, timeoutSeconds = 5 } });
        await Api.Send("PUT", "/api/v1/erp-instances/erp-later", new { channel = "http", http = new { url = Erp.Url, timeoutSeconds = 5 } });
        // Port 9 (discard) refuses on loopback: with one attempt allowed, the delivery is dead-lettered at once.
        await Api.Send("PUT", "/api/v1/erp-instances/erp-down", new
        {
            channel = "http", http = new { url = "http://127.0.0.1:9/erp", timeoutSeconds = 1 }, retry = new { maxAttempts = 1 },
        });
        await Api.ConfigurePlant("OPS1", new { name = "Acknowledging", erpInstance = "erp-ok" });
        await Api.ConfigurePlant("OPS2", new
        {
            name = "Waiting", erpInstance = "erp-later",
            rules = new { mandatoryAttributes = new[] { new { appliesTo = "buy", attribute = "compliance.countryOfOrigin" } } },
        });
        await Api.ConfigurePlant("OPS3", new { name = "Unreachable", erpInstance = "erp-down" });

        await Api.Settled(api => api.Assign("OPS1", "HOUSING"));
        await Wait.Until(async () => (await Api.Get("/api/v1/deliveries?instance=erp-ok&status=acknowledged")).Items.Count == 3 ? "" : null,
            "erp-ok to acknowledge the housing, casting and bolt");
        Erp.Acknowledges = false;
        // BOLT has no country of origin, and HOUSING is built from it: only CASTING reaches erp-later, unacknowledged.
        await Api.Settled(api => api.Assign("OPS2", "HOUSING"));
        await Api.Settled(api => api.Assign("OPS3", "TOOL"));
        await Wait.Until(async () => (await Api.Get("/api/v1/deliveries?status=deadLettered")).Items.Count == 1 ? "" : null,
            "the delivery to erp-down to be dead-lettered");
        await Wait.Until(async () => (await Api.Get("/api/v1/deliveries?status=sent")).Items.Count == 1 ? "" : null,
            "the delivery to erp-later to be sent");
    }

    [Fact]
    public async Task the_summary_shows_the_backlog_what_waits_longest_open_exceptions_and_latency_percentiles()
    {
        await ThreeErpsInThreeStates();

        var summary = (await Api.Get("/api/v1/ops/summary")).Json;

        var backlog = summary["backlog"]!;
        backlog["pendingDeliveries"]!.GetValue<long>().ShouldBe(1);
        backlog["awaitingAcknowledgement"]!.GetValue<long>().ShouldBe(1);
        backlog["deadLetteredDeliveries"]!.GetValue<long>().ShouldBe(1);
        var oldest = summary["oldestPendingDeliveries"]!.AsArray().ShouldHaveSingleItem()!;
        (oldest["instance"]!.GetValue<string>(), oldest["partNumber"]!.GetValue<string>(), oldest["status"]!.GetValue<string>())
            .ShouldBe(("erp-later", "CASTING", "sent"));
        oldest["ageSeconds"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0);
        summary["openExceptions"]!.AsObject().Select(p => (p.Key, p.Value!.GetValue<int>())).ShouldBe([("OPS2", 2)]);

        // The percentiles PostgreSQL computes (continuous, as percentile_cont) over the three acknowledged deliveries.
        var latencies = (await Api.Get("/api/v1/deliveries?status=acknowledged")).Items
            .Select(d => d!["latencyMilliseconds"]!.GetValue<double>()).Order().ToArray();
        var latency = summary["releaseToErpLatency"]!;
        latency["acknowledged"]!.GetValue<long>().ShouldBe(3);
        latency["p50"]!.GetValue<double>().ShouldBe(latencies[1], 0.001);
        latency["p95"]!.GetValue<double>().ShouldBe(latencies[1] + 0.9 * (latencies[2] - latencies[1]), 0.001);
        latency["p99"]!.GetValue<double>().ShouldBe(latencies[1] + 0.98 * (latencies[2] - latencies[1]), 0.001);
    }

    [Fact]
    public async Task the_summary_names_a_plant_whose_erp_instance_is_not_configured_until_it_is()
    {
        await Api.Send("PUT", "/api/v1/erp-instances/erp-ok", new { channel = "http", http = new { url = Erp.Url, timeoutSeconds = 5 } });
        await Api.ConfigurePlant("OPS1", new { name = "Configured", erpInstance = "erp-ok" });
        await Api.ConfigurePlant("OPS9", new { name = "Pointing nowhere", erpInstance = "erp-nowhere" });

        var before = (await Api.Get("/api/v1/ops/summary")).Json["plantsWithoutErpInstance"]!.AsArray();
        await Api.Send("PUT", "/api/v1/erp-instances/erp-nowhere", new { channel = "http", http = new { url = Erp.Url, timeoutSeconds = 5 } });
        var after = (await Api.Get("/api/v1/ops/summary")).Json["plantsWithoutErpInstance"]!.AsArray();

        before.Select(p => (p!["plantCode"]!.GetValue<string>(), p["erpInstance"]!.GetValue<string>())).ShouldBe([("OPS9", "erp-nowhere")]);
        after.ShouldBeEmpty();
    }

    [Fact]
    public async Task the_summary_of_a_quiet_hub_has_no_backlog_and_no_latency_yet()
    {
        var summary = (await Api.Get("/api/v1/ops/summary?windowHours=1")).Json;

        summary["backlog"]!["pendingDeliveries"]!.GetValue<long>().ShouldBe(0);
        summary["oldestPendingDeliveries"]!.AsArray().ShouldBeEmpty();
        summary["releaseToErpLatency"]!["acknowledged"]!.GetValue<long>().ShouldBe(0);
        summary["releaseToErpLatency"]!["p50"].ShouldBeNull();
        (await Api.Get("/api/v1/ops/summary?windowHours=0")).ErrorFields.ShouldBe(["windowHours"]);
        var documented = (await Api.Get("/openapi/v1.json")).Json["paths"]!["/api/v1/ops/summary"]!["get"]!["responses"]!["200"]!;
        documented["content"]!["application/json"]!["schema"].ShouldNotBeNull(documented.ToJsonString());
    }

    [Fact]
    public async Task the_gauges_and_counters_move_and_readiness_degrades_on_dead_letters()
    {
        var failedBefore = await Scrape.Metric(Host, "producthub_transformations_failed_total", "plant=\"OPS2\"");
        await ThreeErpsInThreeStates();

        // The gauges show the sampler's figures, taken every 200 ms in the tests.
        await Wait.Until(async () =>
            await Scrape.Metric(Host, "producthub_acknowledgements_pending") == 1 &&
            await Scrape.Metric(Host, "producthub_deliveries_dead_lettered") == 1 &&
            await Scrape.Metric(Host, "producthub_deliveries_pending") == 1 ? "" : null, "the gauges to show the backlog");
        // BOLT and the HOUSING built from it could not become OPS2's MBOM.
        (await Scrape.Metric(Host, "producthub_transformations_failed_total", "plant=\"OPS2\"")).ShouldBe(failedBefore + 2);

        var ready = await Api.Get("/health/ready");
        ready.Status.ShouldBe(200);
        ready.Json["status"]!.GetValue<string>().ShouldBe("Degraded");
        var check = ready.Json["checks"]!["backlog"]!;
        check["description"]!.GetValue<string>().ShouldContain("dead letters");
        check["data"]!["deadLetteredDeliveries"]!.GetValue<long>().ShouldBe(1);
        ready.Json["checks"]!["database"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
    }
}
