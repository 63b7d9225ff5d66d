using NodaTime;
using ProductHub.Hub.Feed;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Feed;

public sealed class when_reading_the_change_feed(HubFixture fixture) : HubScenario(fixture)
{
    private async Task<long> Head() => (await Api.Get("/api/v1/feed/head")).Json["position"]!.GetValue<long>();

    [Fact]
    public async Task changes_come_in_order_and_a_reader_resumes_where_it_left_off()
    {
        var head = await Head();
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z", Part("PN-1", "A", "2026-01-10")));

        var page = (await Api.Get($"/api/v1/feed?after={head}")).Json;
        var positions = page["events"]!.AsArray().Select(e => e!["position"]!.GetValue<long>()).ToList();
        positions.ShouldBe(positions.Order().ToList());
        page["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>())
            .ShouldBe(["PartRegistered", "RevisionCreated", "RevisionReleased"]);
        page["events"]![0]!["stream"]!.GetValue<string>().ShouldBe("PN-1");
        var next = page["next"]!.GetValue<long>();
        next.ShouldBe(positions[^1]);

        (await Api.Get($"/api/v1/feed?after={next}")).Json["events"]!.AsArray().ShouldBeEmpty();
        await Api.Release(Package("REL-2", "2026-02-10T08:00:00Z", Part("PN-1", "B", "2026-02-10")));
        (await Api.Get($"/api/v1/feed?after={next}&limit=2")).Json["events"]!.AsArray()
            .Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["RevisionCreated", "RevisionReleased"]);
    }

    [Fact]
    public async Task a_long_poll_answers_as_soon_as_a_change_arrives()
    {
        var head = await Head();

        var poll = Api.Get($"/api/v1/feed?after={head}&wait=20");
        await Task.Delay(300);
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z", Part("PN-1", "A", "2026-01-10")));

        (await poll).Json["events"]!.AsArray().ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("after=-1", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("wait=99", "wait")]
    [InlineData("limit=abc", "limit")]
    public async Task a_bad_parameter_is_named(string query, string parameter) =>
        (await Api.Get($"/api/v1/feed?{query}")).ErrorFields.ShouldBe([parameter]);
}

public sealed class FeedWindowTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 1, 12, 0);

    [Fact]
    public void contiguous_positions_are_all_safe() =>
        FeedWindow.Safe([(11, Now), (12, Now), (13, Now)], after: 10, Now).ShouldBe(3);

    [Fact]
    public void a_fresh_gap_stops_the_page_before_it() =>
        FeedWindow.Safe([(11, Now), (13, Now), (14, Now)], after: 10, Now).ShouldBe(1);

    [Fact]
    public void a_settled_gap_is_a_rolled_back_transaction_and_is_passed() =>
        FeedWindow.Safe([(11, Now - Duration.FromMinutes(1)), (13, Now - Duration.FromMinutes(1)), (15, Now)], after: 10, Now).ShouldBe(2);
}
