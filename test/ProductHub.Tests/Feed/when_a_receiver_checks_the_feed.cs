using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Feed;

/// <summary>
/// A receiver's view of a busy feed: every entry is checked against the envelope and its type's schema as served at
/// <c>/schemas/events/v1/</c>, each compiled here on its own; internal configuration and its secrets never appear.
/// </summary>
public sealed class when_a_receiver_checks_the_feed(HubFixture fixture, ITestOutputHelper output) : TestErpScenario(fixture)
{
    private const string Secret = "Bearer S3CRET-feed-4711";

    private async Task BusyHub()
    {
        (await Api.DefineUnit("DOZ6", new { dimension = "count", factor = 6 })).Status.ShouldBe(201);
        (await Api.Release(Release())).Status.ShouldBe(201);
        (await Api.Send("PUT", "/api/v1/erp-instances/erp-p100", new { channel = "http", http = new { url = Erp.Url, authHeader = Secret } })).Status.ShouldBe(201);
        (await Api.Send("PUT", "/api/v1/erp-instances/erp-down", new
        {
            channel = "http", http = new { url = "http://127.0.0.1:9/erp", authHeader = Secret, timeoutSeconds = 1 }, retry = new { maxAttempts = 1 },
        })).Status.ShouldBe(201);
        (await Api.Send("PUT", "/api/v1/webhooks/plm", new { url = Erp.Url, authHeader = Secret, eventTypes = new[] { "FirstArticleCompleted" } })).Status.ShouldBe(200);
        await Api.ConfigurePlant("P100", new
        {
            name = "Stuttgart", erpInstance = "erp-p100",
            rules = new { phantoms = new[] { "SEALKIT" }, makeBuy = new[] { new { partNumber = "HOUSING", procurement = "buy" } } },
        });
        await Api.ConfigurePlant("P200", new
        {
            name = "Down", erpInstance = "erp-down",
            rules = new { mandatoryAttributes = new[] { new { appliesTo = "buy", attribute = "compliance.countryOfOrigin" } } },
        });
        (await Api.ReferenceData("P100", new { items = new[] { new { partNumber = "CASTING", standardCost = 12.5, currency = "EUR", leadTimeDays = 10 } } }))
            .Status.ShouldBe(200);
        await Api.Settled(api => api.Assign("P100", "PUMP"));
        await Api.Settled(api => api.Assign("P200", "HOUSING"));
        var exception = (await Api.Exceptions("plant=P200&status=open")).Items.First()!["exceptionId"]!.GetValue<string>();
        (await Api.Post($"/api/v1/exceptions/{exception}/dismiss", new { reason = "no such bolt in P200" })).Status.ShouldBe(200);
        foreach (var type in new[] { "FirstArticleCompleted", "SupplierNonconformanceRaised", "ProductionHoldPlaced", "ProductionHoldReleased",
                     "InventoryShortageReported", "CostThresholdBreached" })
        {
            (await Api.Post("/api/v1/status-events", new
            {
                eventId = $"E-{type}", type, source = "mes", plant = "P100", partNumber = "PUMP", revision = "A", occurredAt = "2026-03-02T06:15:00Z",
                details = new { note = "fine" },
            })).Status.ShouldBe(201);
        }
        await Wait.Until(async () => (await Api.Get("/api/v1/deliveries?status=deadLettered")).Items.Count > 0 ? "" : null, "P200's delivery to fail for good");
    }

    [Fact]
    public async Task every_entry_matches_the_published_schemas_and_nothing_internal_is_there()
    {
        await BusyHub();

        var entries = new List<JsonNode>();
        for (var after = 0L; ;)
        {
            var page = (await Api.Get($"/api/v1/feed?after={after}&limit=50")).Json;
            if (page["next"]!.GetValue<long>() == after) break;
            entries.AddRange(page["events"]!.AsArray().Select(e => e!));
            after = page["next"]!.GetValue<long>();
        }

        var envelope = await Schema("/schemas/events/v1/feed-entry.schema.json");
        var schemas = new Dictionary<string, JsonSchema>();
        foreach (var entry in entries)
        {
            var type = entry["type"]!.GetValue<string>();
            if (!schemas.TryGetValue(type, out var schema)) schemas[type] = schema = await Schema($"/schemas/events/v1/{type}.schema.json");
            Evaluate(envelope, entry).ShouldBeNull(entry.ToJsonString());
            Evaluate(schema, entry["data"]!).ShouldBeNull(entry.ToJsonString());
        }
        output.WriteLine($"{entries.Count} entries of {schemas.Count} types: {string.Join(", ", schemas.Keys.Order())}");
        schemas.Count.ShouldBeGreaterThan(20);
        schemas.Keys.ShouldNotContain("ErpInstanceConfigured");
        schemas.Keys.ShouldNotContain("WebhookConfigured");
        entries.ShouldAllBe(e => !e.ToJsonString().Contains("S3CRET"));
        entries.ShouldAllBe(e => !e.ToJsonString().Contains("127.0.0.1"));
    }

    private async Task<JsonSchema> Schema(string path)
    {
        var answer = await Api.Get(path);
        answer.Status.ShouldBe(200, path);
        return JsonSchema.FromText(answer.Json.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static string? Evaluate(JsonSchema schema, JsonNode instance)
    {
        var result = schema.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid ? null : string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
    }
}
