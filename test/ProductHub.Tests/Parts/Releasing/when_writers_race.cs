using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Parts.Releasing;

public sealed class when_writers_race(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task the_same_package_sent_at_once_is_recorded_once_and_both_get_its_answer()
    {
        var package = Package("REL-1", "2026-02-10T12:00:00Z",
            Part("PN-1", "A", "2026-02-10", Line(10, "PN-2", 1)), Part("PN-2", "A", "2026-02-10"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Api.Release(package)));

        answers.ShouldAllBe(a => a.Status == 201);
        answers.Select(a => a.Json["releaseId"]!.GetValue<string>()).Distinct().Count().ShouldBe(1);
        (await Api.History("PN-1")).Json["events"]!.AsArray()
            .Count(e => e!["type"]!.GetValue<string>() == "RevisionReleased").ShouldBe(1);
    }

    [Fact]
    public async Task concurrent_packages_for_one_part_either_land_or_get_409_and_none_is_lost()
    {
        await Api.Release(Package("REL-0", "2026-01-10T12:00:00Z", Part("PN-1", "A", "2026-01-10")));

        var revisions = new[] { "B", "C", "D", "E" };
        var answers = await Task.WhenAll(revisions.Select(r =>
            Api.Release(Package($"REL-{r}", "2026-02-10T12:00:00Z", Part("PN-1", r, "2026-02-10")))));

        answers.ShouldAllBe(a => a.Status == 201 || a.Status == 409);
        var landed = revisions.Where((_, i) => answers[i].Status == 201).ToList();
        landed.ShouldNotBeEmpty();
        var stored = (await Api.Part("PN-1")).Json["revisions"]!.AsArray()
            .Select(r => r!["revision"]!.GetValue<string>()).ToList();
        stored.ShouldBe(["A", .. landed], ignoreOrder: true);
    }
}
