using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Faults;

/// <summary>
/// Writers racing on the same part or plant: each either wins with one event or is told 409; no update is lost
/// silently and nothing is recorded twice.
/// </summary>
public sealed class when_writers_race(HubFixture fixture, ITestOutputHelper output) : HubScenario(fixture)
{
    private const int Writers = 12;
    private static readonly int[] Refused = [409, 422];

    private string ConnectionString => EventStore.ConnectionStringOf(Host);

    [Fact]
    public async Task parallel_releases_of_the_same_part_record_its_revision_once()
    {
        (await Api.Release(Package("REL-0", "2026-01-10T08:00:00Z", Part("PN-1", "A", "2026-01-10")))).Status.ShouldBe(201);

        // Different content for the same revision: one wins, the others learn it is taken.
        var rivals = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Api.Release(Package(
            $"REL-B-{i}", "2026-02-01T08:00:00Z",
            new { partNumber = "PN-1", revision = "B", description = $"Writer {i}", unit = "EA", type = "buy", effectiveFrom = "2026-02-01" }))));
        // The same content under several package ids, and the same package several times: one release of C.
        var twins = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Api.Release(Package(
            $"REL-C-{i % 3}", "2026-03-01T08:00:00Z", Part("PN-1", "C", "2026-03-01")))));

        var released = await EventStore.CountAsync(ConnectionString, "revision_released", "PN-1");
        output.WriteLine($"{rivals.Length} rival and {twins.Length} twin releases: answers " +
                         string.Join(", ", rivals.Concat(twins).GroupBy(a => a.Status).Select(g => $"{g.Key}×{g.Count()}")) +
                         $"; revisions released {released} (expected 3)");
        rivals.Count(a => a.Status == 201).ShouldBe(1, string.Join("\n", rivals.Select(a => a.ToString())));
        rivals.Where(a => a.Status != 201).ShouldAllBe(a => Refused.Contains(a.Status));
        twins.ShouldAllBe(a => a.Status == 201 || a.Status == 409);
        released.ShouldBe(3);
        var winner = rivals.Single(a => a.Status == 201).Json["packageId"]!.GetValue<string>();
        var part = (await Api.Part("PN-1")).Json.ToJsonString();
        part.ShouldContain($"Writer {winner["REL-B-".Length..]}");
    }

    [Fact]
    public async Task parallel_changes_of_the_same_plant_are_each_recorded_once_or_refused()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i =>
            Api.ConfigurePlant("P1", new { name = $"Plant {i}", erpInstance = "erp-test" })));

        var events = await EventStore.CountAsync(ConnectionString, "plant_configured");
        var accepted = answers.Where(a => a.Status is 200 or 201).ToList();
        output.WriteLine($"{Writers} parallel plant changes: answers " +
                         string.Join(", ", answers.GroupBy(a => a.Status).Select(g => $"{g.Key}×{g.Count()}")) + $"; events {events}");
        answers.ShouldAllBe(a => a.Status == 200 || a.Status == 201 || a.Status == 409);
        accepted.Count(a => a.Status == 201).ShouldBe(1);
        events.ShouldBe(accepted.Count);
        var plant = (await Api.Get("/api/v1/plants/P1")).Json;
        plant["configurations"]!.GetValue<int>().ShouldBe(accepted.Count);
        accepted.Select(a => a.Json["name"]!.GetValue<string>()).ShouldContain(plant["name"]!.GetValue<string>());
        accepted.Select(a => a.Json["name"]!.GetValue<string>()).ShouldBeUnique();
    }
}
