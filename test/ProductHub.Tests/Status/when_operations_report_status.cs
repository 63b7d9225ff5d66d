using Microsoft.Extensions.DependencyInjection;
using ProductHub.Tests.Support;
using Wolverine;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Status;

/// <summary>Status reconciliation: what operations report is received once, kept on the part's history and projected.</summary>
public sealed class when_operations_report_status(HubFixture fixture) : HubScenario(fixture)
{
    private Task ReleasePump() => Api.Release(Package("REL-1", "2026-01-10T08:00:00Z", Part("PN-100", "B", "2026-01-10")));

    private static object Report(string eventId, string type, string occurredAt, object? details = null) => new
    {
        eventId, type, source = "mes-p100", plant = "P100", partNumber = "PN-100", revision = "B", occurredAt, details,
    };

    private Task<Answer> Send(object report) => Api.Post("/api/v1/status-events", report);

    private async Task<System.Text.Json.Nodes.JsonNode> Status() => (await Api.Get("/api/v1/parts/PN-100/status")).Json;

    [Fact]
    public async Task a_report_lands_on_the_parts_history_and_in_its_status()
    {
        await ReleasePump();

        var answer = await Send(Report("MES-P100-000981", "ProductionHoldPlaced", "2026-03-02T06:15:00Z", new { reason = "torque out of spec" }));

        answer.Status.ShouldBe(201, answer.ToString());
        var hold = (await Status())["openHolds"]!.AsArray().ShouldHaveSingleItem()!;
        hold["plantCode"]!.GetValue<string>().ShouldBe("P100");
        hold["details"]!["reason"]!.GetValue<string>().ShouldBe("torque out of spec");
        var last = (await Api.History("PN-100")).Json["events"]!.AsArray()[^1]!;
        last["type"]!.GetValue<string>().ShouldBe("ProductionHoldPlaced");
        last["correlationId"]!.GetValue<string>().ShouldBe("MES-P100-000981");
        last["userName"]!.GetValue<string>().ShouldBe("test-user");
        last["headers"]!["source"]!.GetValue<string>().ShouldBe("mes-p100");
    }

    [Fact]
    public async Task the_same_event_again_is_acknowledged_and_recorded_once()
    {
        await ReleasePump();
        var report = Report("QMS-1", "SupplierNonconformanceRaised", "2026-03-02T06:15:00Z");
        await Send(report);
        var before = (await Api.History("PN-100")).Json["events"]!.AsArray().Count;

        var again = await Send(report);
        var changed = await Send(Report("QMS-1", "SupplierNonconformanceRaised", "2026-03-03T06:15:00Z"));

        again.Status.ShouldBe(200);
        again.Json["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        changed.Status.ShouldBe(409);
        (await Api.History("PN-100")).Json["events"]!.AsArray().Count.ShouldBe(before);
        (await Status())["nonconformances"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_hold_released_before_its_placement_arrives_is_reconciled_once_both_are_in()
    {
        await ReleasePump();

        await Send(Report("MES-2", "ProductionHoldReleased", "2026-03-02T09:00:00Z", new { holdId = "H-7" }));
        await Send(Report("MES-1", "ProductionHoldPlaced", "2026-03-02T06:00:00Z", new { holdId = "H-7" }));
        await Send(Report("MES-3", "ProductionHoldPlaced", "2026-03-02T07:00:00Z", new { holdId = "H-8" }));

        var open = (await Status())["openHolds"]!.AsArray();
        open.Select(h => h!["eventId"]!.GetValue<string>()).ShouldBe(["MES-3"]);
    }

    [Fact]
    public async Task first_articles_shortages_and_cost_breaches_are_shown()
    {
        await ReleasePump();

        await Send(Report("MES-10", "FirstArticleCompleted", "2026-03-01T10:00:00Z"));
        await Send(Report("ERP-11", "InventoryShortageReported", "2026-03-01T11:00:00Z", new { quantity = 40 }));
        await Send(Report("ERP-12", "CostThresholdBreached", "2026-03-01T12:00:00Z", new { standardCost = 412.0, actual = 455.5 }));

        var status = await Status();
        status["firstArticles"]!.AsArray().ShouldHaveSingleItem()!["revision"]!.GetValue<string>().ShouldBe("B");
        status["shortages"]![0]!["details"]!["quantity"]!.GetValue<int>().ShouldBe(40);
        status["costBreaches"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task reports_dropped_as_a_file_are_received_the_same_way()
    {
        await ReleasePump();
        var folder = Directory.CreateDirectory(Path.Combine(DropFolder, "status-events")).FullName;

        await File.WriteAllTextAsync(Path.Combine(folder, "mes-batch.json"), System.Text.Json.JsonSerializer.Serialize(new[]
        {
            Report("MES-F1", "ProductionHoldPlaced", "2026-03-02T06:15:00Z"),
            new { eventId = "MES-F2", type = "ProductionHoldPlaced", source = "mes", plant = "P100", partNumber = "PN-404",
                  revision = "A", occurredAt = "2026-03-02T06:15:00Z", details = (object?)null },
        }));

        var errors = await Wait.Until(() => Task.FromResult(Directory.Exists(Path.Combine(folder, "failed"))
            ? Directory.GetFiles(Path.Combine(folder, "failed"), "*.errors.json").FirstOrDefault() : null), "the file to be taken");
        (await File.ReadAllTextAsync(errors)).ShouldContain("[1].partNumber");
        (await Status())["openHolds"]!.AsArray().Single()!["eventId"]!.GetValue<string>().ShouldBe("MES-F1");
    }

    [Fact]
    public async Task reports_from_the_queue_channel_are_received_and_a_refused_one_is_dead_lettered()
    {
        await using var host = await OwnDatabase.HubAsync(await OwnDatabase.CreateAsync());
        var api = new HubApi(host);
        await api.Release(Package("REL-1", "2026-01-10T08:00:00Z", Part("PN-100", "B", "2026-01-10")));
        var queue = host.MessageBus().EndpointFor(new Uri("postgresql://status-events"));

        await queue.SendAsync(new ProductHub.Hub.Status.ReportStatus("Q-1", "ProductionHoldPlaced", "mes", "P100", "PN-404", "A",
            DateTimeOffset.Parse("2026-03-02T06:00:00Z"), null));
        await queue.SendAsync(new ProductHub.Hub.Status.ReportStatus("Q-2", "ProductionHoldPlaced", "mes", "P100", "PN-100", "B",
            DateTimeOffset.Parse("2026-03-02T06:15:00Z"), null));

        var hold = await Wait.Until(async () =>
            (await api.Get("/api/v1/parts/PN-100/status")).Json["openHolds"]!.AsArray().FirstOrDefault(), "the queued report");
        hold!["eventId"]!.GetValue<string>().ShouldBe("Q-2");
        var deadLetters = await host.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>().Storage.Admin.FetchCountsAsync();
        deadLetters.DeadLetter.ShouldBe(1);
    }

    [Fact]
    public async Task a_report_for_an_unknown_part_or_in_bad_shape_is_refused_and_nothing_is_stored()
    {
        await ReleasePump();
        var before = (await Api.History("PN-100")).Json["events"]!.AsArray().Count;

        var unknown = await Send(new { eventId = "X-1", type = "ProductionHoldPlaced", source = "mes", plant = "P100",
            partNumber = "PN-404", revision = "A", occurredAt = "2026-03-02T06:15:00Z" });
        var malformed = await Send(new { eventId = "X-2", type = "ProductionHoldLifted", source = "mes", plant = "P100",
            partNumber = "PN-100", revision = "B", occurredAt = "yesterday" });

        unknown.Status.ShouldBe(422);
        unknown.ErrorFields.ShouldBe(["$.partNumber"]);
        malformed.Status.ShouldBe(400);
        malformed.ErrorFields.ShouldBe(["$.type", "$.occurredAt"], ignoreOrder: true);
        (await Api.History("PN-100")).Json["events"]!.AsArray().Count.ShouldBe(before);
    }
}
