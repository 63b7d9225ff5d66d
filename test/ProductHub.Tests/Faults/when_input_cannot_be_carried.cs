using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProductHub.Adapters.Contracts;
using ProductHub.Hub.Status;
using ProductHub.Tests.Support;
using Wolverine;
using Wolverine.Runtime;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Faults;

/// <summary>
/// Input the hub could accept but not serve: JSON nested deeper than the readers of stored events can read back, and
/// text that PostgreSQL cannot store (U+0000) or XML 1.0 cannot carry (other control characters, U+FFFE, U+FFFF).
/// Every intake refuses it with a 400 naming the field, and nothing is stored.
/// </summary>
public sealed class when_input_cannot_be_carried(HubFixture fixture, ITestOutputHelper output) : HubScenario(fixture)
{
    private string ConnectionString => EventStore.ConnectionStringOf(Host);

    private static object Report(string eventId, object? details = null, string source = "mes") => new
    {
        eventId, type = "ProductionHoldPlaced", source, plant = "P1", partNumber = "PN-1", revision = "A",
        occurredAt = "2026-03-02T06:15:00Z", details,
    };

    /// <summary>Objects nested <paramref name="levels"/> deep: <c>{"a": {"a": ... {}}}</c>.</summary>
    private static JsonObject Nested(int levels)
    {
        var inner = new JsonObject();
        for (var i = 1; i < levels; i++) inner = new JsonObject { ["a"] = inner };
        return inner;
    }

    private async Task PartPn1IsReleased() =>
        (await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z", Part("PN-1", "A", "2026-02-10")))).Status.ShouldBe(201);

    [Fact]
    public async Task a_body_nested_past_the_limit_is_refused_naming_where_it_passes_it()
    {
        await PartPn1IsReleased();
        var before = await EventStore.FingerprintAsync(ConnectionString);

        // The body is one level, details the next: details nested 31 deep make the body 32 levels, the most allowed.
        var tooDeep = await Api.Post("/api/v1/status-events", Report("EV-33", Nested(IntakeLimits.MaxDepth)));
        var farTooDeep = await Api.Post("/api/v1/status-events", Report("EV-62", Nested(62)));

        output.WriteLine($"depth: status event nested 33 levels → {tooDeep.Status}, 63 levels → {farTooDeep.Status}");
        tooDeep.Status.ShouldBe(400, tooDeep.ToString());
        tooDeep.ErrorFields.ShouldBe(["$.details" + string.Concat(Enumerable.Repeat(".a", IntakeLimits.MaxDepth - 1))]);
        farTooDeep.Status.ShouldBe(400, farTooDeep.ToString());
        farTooDeep.ErrorFields.ShouldBe(tooDeep.ErrorFields);
        (await EventStore.FingerprintAsync(ConnectionString)).ShouldBe(before);

        (await Api.Post("/api/v1/status-events", Report("EV-32", Nested(IntakeLimits.MaxDepth - 1)))).Status.ShouldBe(201);
        (await Api.History("PN-1")).Status.ShouldBe(200);
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("\u0001")]
    [InlineData("\u001F")]
    [InlineData("\uFFFE")]
    [InlineData("\uFFFF")]
    public async Task text_that_cannot_be_carried_is_refused_naming_the_field(string character)
    {
        var before = await EventStore.FingerprintAsync(ConnectionString);
        var part = new
        {
            partNumber = "PN-1", revision = "A", description = $"Seal{character}kit", unit = "EA", type = "buy",
            attributes = new Dictionary<string, string> { [$"colour{character}"] = "red" },
        };

        var answer = await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z", part));

        output.WriteLine($"text: U+{(int)character[0]:X4} in a description and an attribute name → {answer.Status} {string.Join(", ", answer.ErrorFields)}");
        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldBe(["$.parts[0].description"]);
        (await EventStore.FingerprintAsync(ConnectionString)).ShouldBe(before);

        var named = await Api.Release(Package("REL-2", "2026-02-10T12:00:00Z", part with { description = "Seal kit" }));
        named.ErrorFields.ShouldBe(["$.parts[0].attributes"]);
    }

    [Fact]
    public async Task tabs_line_breaks_and_any_other_unicode_are_text_like_any_other()
    {
        var answer = await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z", new
        {
            partNumber = "PN-1", revision = "A", description = "Seal\tkit\r\n2nd line 漢字 𝔘 \u00a0\u0085\u200b", unit = "EA", type = "buy",
        }));

        answer.Status.ShouldBe(201, answer.ToString());
        (await Api.Part("PN-1")).Json["description"]!.GetValue<string>().ShouldBe("Seal\tkit\r\n2nd line 漢字 𝔘 \u00a0\u0085\u200b");
    }

    [Fact]
    public async Task route_values_and_query_parameters_are_held_to_the_same_rule()
    {
        var before = await EventStore.FingerprintAsync(ConnectionString);

        var query = await Api.Get("/api/v1/deliveries?part=PN%00X");
        var route = await Api.Get("/api/v1/parts/PN%01X/bom");
        var write = await Api.Post("/api/v1/deliveries/D%EF%BF%BF/ack", new { reference = "SAP-1" });

        output.WriteLine($"routes: U+0000 in a query → {query.Status}, U+0001 in a route → {route.Status}, U+FFFF in a route → {write.Status}");
        query.Status.ShouldBe(400, query.ToString());
        query.ErrorFields.ShouldBe(["part"]);
        route.Status.ShouldBe(400, route.ToString());
        route.ErrorFields.ShouldBe(["partNumber"]);
        write.Status.ShouldBe(400, write.ToString());
        write.ErrorFields.ShouldBe(["id"]);
        (await EventStore.FingerprintAsync(ConnectionString)).ShouldBe(before);
    }

    [Fact]
    public async Task a_csv_upload_with_such_text_is_refused_naming_line_and_column()
    {
        await Api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-test" });
        var before = await EventStore.FingerprintAsync(ConnectionString);

        var answer = await Api.ReferenceDataCsv("P1", "partNumber,preferredSupplier,storageLocation\nPN-1,ACME\u0000 GmbH,A-01\nPN-2,Beta,B\u0002\n");

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldBe(["line 2.preferredSupplier", "line 3.storageLocation"], ignoreOrder: true);
        (await EventStore.FingerprintAsync(ConnectionString)).ShouldBe(before);
    }

    [Fact]
    public async Task drop_files_with_such_input_are_set_aside_with_the_reason_and_the_next_is_read()
    {
        await PartPn1IsReleased();
        await Api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-test" });
        var status = Directory.CreateDirectory(Path.Combine(DropFolder, "status-events")).FullName;
        var costs = Directory.CreateDirectory(Path.Combine(DropFolder, "reference-data", "P1")).FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(status, "a-nul.json"),
                """[{"eventId":"F-1","type":"ProductionHoldPlaced","source":"mes\u0000","plant":"P1","partNumber":"PN-1","revision":"A","occurredAt":"2026-03-02T06:15:00Z"}]""");
            await File.WriteAllTextAsync(Path.Combine(status, "b-deep.json"),
                new JsonArray(JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Report("F-2", Nested(40))))).ToJsonString());
            await File.WriteAllTextAsync(Path.Combine(status, "c-good.json"), System.Text.Json.JsonSerializer.Serialize(Report("F-3")));
            await File.WriteAllTextAsync(Path.Combine(costs, "costs.csv"), "partNumber,preferredSupplier\nPN-1,ACME\u0000\n");

            var hold = await Wait.Until(async () =>
                (await Api.Get("/api/v1/parts/PN-1/status")).Json["openHolds"]!.AsArray().FirstOrDefault(), "the good file to be read");
            hold!["eventId"]!.GetValue<string>().ShouldBe("F-3");
            var nul = await ErrorsOf(status, "a-nul.");
            var deep = await ErrorsOf(status, "b-deep.");
            var csv = await ErrorsOf(costs, "costs.");

            output.WriteLine($"drop files: U+0000 → failed/ naming {string.Join(", ", nul.Select(e => e.Key))}; nested 41 levels → failed/ naming " +
                             $"{deep.Single().Key[..20]}…; CSV with U+0000 → failed/ naming {string.Join(", ", csv.Select(e => e.Key))}");
            nul.Select(e => e.Key).ShouldBe(["$[0].source"]);
            deep.Single().Key.ShouldStartWith("$[0].details.a.a");
            csv.Select(e => e.Key).ShouldBe(["line 2.preferredSupplier"]);
            (await Api.Get("/api/v1/parts/PN-1/status")).Json["openHolds"]!.AsArray().Count.ShouldBe(1);
        }
        finally
        {
            // The drop folders are the shared hub's: what this test set aside must not be read by the next one.
            foreach (var sub in new[] { status, costs }.SelectMany(f => new[] { "failed", "done" }.Select(s => Path.Combine(f, s))).Where(Directory.Exists))
                Directory.Delete(sub, recursive: true);
        }
    }

    [Fact]
    public async Task queued_status_events_past_the_limits_are_dead_lettered_and_store_nothing()
    {
        await using var host = await OwnDatabase.HubAsync(await OwnDatabase.CreateAsync());
        var api = new HubApi(host);
        (await api.Release(Package("REL-1", "2026-02-10T12:00:00Z", Part("PN-1", "A", "2026-02-10")))).Status.ShouldBe(201);
        var queue = host.MessageBus().EndpointFor(new Uri("postgresql://status-events"));
        ReportStatus Queued(string eventId, string source, JsonElement? details) =>
            new(eventId, "ProductionHoldPlaced", source, "P1", "PN-1", "A", DateTimeOffset.Parse("2026-03-02T06:15:00Z"), details);

        await queue.SendAsync(Queued("Q-DEEP", "mes", JsonSerializer.SerializeToElement(Nested(40))));
        await queue.SendAsync(Queued("Q-NUL", "mes\u0000", null));
        await queue.SendAsync(Queued("Q-GOOD", "mes", null));

        await Wait.Until(async () =>
            (await api.Get("/api/v1/parts/PN-1/status")).Json["openHolds"]!.AsArray().FirstOrDefault(), "the good report");
        var admin = host.Services.GetRequiredService<IWolverineRuntime>().Storage.Admin;
        await Wait.Until(async () => (await admin.FetchCountsAsync()).DeadLetter == 2 ? "" : null, "both bad reports dead-lettered");
        var holds = await EventStore.CountAsync(EventStore.ConnectionStringOf(host), "production_hold_placed");
        output.WriteLine($"queue: status events nested 41 levels and with U+0000 → dead-lettered; {holds} of 3 stored");
        holds.ShouldBe(1);
    }

    private static async Task<JsonObject> ErrorsOf(string folder, string prefix)
    {
        var file = await Wait.Until(() => Task.FromResult(Directory.Exists(Path.Combine(folder, "failed"))
            ? Directory.GetFiles(Path.Combine(folder, "failed"), prefix + "*.errors.json").FirstOrDefault() : null), $"{prefix} to be set aside");
        return JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
    }
}
