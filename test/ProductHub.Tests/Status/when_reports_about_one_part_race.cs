using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Status;

/// <summary>
/// Reports about one part commute: many arriving at once (an MES flushing its queue) are each recorded, none refused
/// because another took the part's next event version first.
/// </summary>
public sealed class when_reports_about_one_part_race(HubFixture fixture, ITestOutputHelper output) : HubScenario(fixture)
{
    private const int Reporters = 20;

    [Fact]
    public async Task every_report_is_recorded_once()
    {
        (await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z", Part("PN-1", "A", "2026-01-10")))).Status.ShouldBe(201);

        var answers = await Task.WhenAll(Enumerable.Range(0, Reporters).Select(i => Task.Run(() => Api.Post("/api/v1/status-events", new
        {
            eventId = $"MES-{i}", type = "ProductionHoldPlaced", source = "mes", plant = "P1", partNumber = "PN-1", revision = "A",
            occurredAt = "2026-03-02T06:15:00Z", details = new { holdId = $"H-{i}" },
        }))));

        var stored = await EventStore.CountAsync(EventStore.ConnectionStringOf(Host), "production_hold_placed", "PN-1");
        output.WriteLine($"status race: {Reporters} concurrent reports of one part: " +
                         string.Join(", ", answers.GroupBy(a => a.Status).Select(g => $"{g.Count()} × {g.Key}")) + $", {stored} stored");
        answers.ShouldAllBe(a => a.Status == 201);
        stored.ShouldBe(Reporters);
    }
}
