using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Plants;

/// <summary>
/// A BOM line dated before its revision takes effect: the plant checks it only over the dates where both the revision
/// and the line apply, as the BOM query reads them, so dates the revision does not govern raise no exception.
/// </summary>
public sealed class when_a_line_starts_before_its_revision(HubFixture fixture) : HubScenario(fixture)
{
    private const string ReleasedAt = "2026-01-05T08:00:00Z";

    /// <summary>A part without <c>effectiveFrom</c>: effective from the release date.</summary>
    private static object Undated(string partNumber, string type, params object[] bom) =>
        new { partNumber, revision = "A", description = partNumber, unit = "EA", type, bom };

    private async Task<List<JsonNode>> OpenExceptions() =>
        (await Api.Exceptions("plant=P1&status=open")).Items.Select(e => e!).ToList();

    [Fact]
    public async Task a_line_dated_years_earlier_is_published_without_an_exception()
    {
        (await Api.Release(Package("REL-1", ReleasedAt,
            Undated("PARENT", "make", Line(10, "CHILD", 2, effectiveFrom: "2020-01-01")), Undated("CHILD", "buy")))).Status.ShouldBe(201);
        await Api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-test" });

        await Api.Settled(api => api.Assign("P1", "PARENT"));

        (await OpenExceptions()).ShouldBeEmpty();
        var published = await Api.Published("P1", "PARENT");
        published.Status.ShouldBe(200, published.ToString());
        published.Json["lines"]![0]!["partNumber"]!.GetValue<string>().ShouldBe("CHILD");
        // The BOM query agrees: no revision of the parent governs 2020.
        (await Api.Bom("PARENT", "effective=2020-06-01")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_child_effective_too_late_raises_an_exception_for_the_parents_first_date_and_a_later_fix_resolves_it()
    {
        (await Api.Release(Package("REL-1", ReleasedAt, Part("CHILD", "A", "2026-03-01")))).Status.ShouldBe(201);
        (await Api.Release(Package("REL-2", ReleasedAt, Undated("PARENT", "make", Line(10, "CHILD", 2, effectiveFrom: "2020-01-01")))))
            .Status.ShouldBe(201);
        await Api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-test" });
        await Api.Settled(api => api.Assign("P1", "PARENT"));

        var exception = (await OpenExceptions()).Single(e => e["partNumber"]!.GetValue<string>() == "PARENT");
        exception["checks"]![0]!["message"]!.GetValue<string>().ShouldBe("CHILD has no released revision effective on 2026-01-05");

        (await Api.Settled(api => api.Release(Package("REL-3", "2026-01-06T08:00:00Z", Part("CHILD", "B", "2026-01-01"))))).Status.ShouldBe(201);

        (await OpenExceptions()).ShouldBeEmpty();
        (await Api.Exceptions("plant=P1&status=resolved&part=PARENT")).Items.ShouldHaveSingleItem();
        (await Api.Published("P1", "PARENT")).Status.ShouldBe(200);
    }
}
