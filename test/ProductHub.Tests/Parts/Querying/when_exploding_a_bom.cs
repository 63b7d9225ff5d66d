using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Parts.Querying;

public sealed class when_exploding_a_bom(HubFixture fixture) : HubScenario(fixture)
{
    private static IEnumerable<(int Level, string Part, decimal Extended)> Lines(Answer answer) =>
        answer.Json["lines"]!.AsArray().Select(l => (
            l!["level"]!.GetValue<int>(), l["partNumber"]!.GetValue<string>(), l["extendedQuantity"]!.GetValue<decimal>()));

    private Task<Answer> ReleaseThreeLevels() => Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
        Part("TOP", "A", "2026-01-10", Line(10, "SUB", 2), Line(20, "BOLT", 4)),
        Part("SUB", "A", "2026-01-10", Line(10, "LEAF", 3), Line(20, "BOLT", 5)),
        Part("LEAF", "A", "2026-01-10", Line(10, "BOLT", 7)),
        Part("BOLT", "A", "2026-01-10")));

    [Fact]
    public async Task quantities_multiply_through_three_levels_in_an_indented_list()
    {
        (await ReleaseThreeLevels()).Status.ShouldBe(201);

        var bom = await Api.Bom("TOP", "depth=all&effective=2026-02-01");

        bom.Status.ShouldBe(200, bom.ToString());
        bom.Json["revision"]!.GetValue<string>().ShouldBe("A");
        Lines(bom).ShouldBe(
        [
            (1, "SUB", 2m), (2, "LEAF", 6m), (3, "BOLT", 42m), (2, "BOLT", 10m), (1, "BOLT", 4m),
        ]);
        bom.Json["lines"]![2]!["path"]!.AsArray().Select(p => p!.GetValue<string>())
            .ShouldBe(["TOP", "SUB", "LEAF", "BOLT"]);
        bom.Json["lines"]![2]!["quantity"]!.GetValue<decimal>().ShouldBe(7m);
    }

    [Fact]
    public async Task depth_limits_the_levels_and_one_level_is_the_default()
    {
        await ReleaseThreeLevels();

        Lines(await Api.Bom("TOP", "effective=2026-02-01")).Select(l => l.Part).ShouldBe(["SUB", "BOLT"]);
        Lines(await Api.Bom("TOP", "effective=2026-02-01&depth=2")).Select(l => l.Level).ShouldBe([1, 2, 2, 1]);
    }

    [Fact]
    public async Task effectivity_switches_a_line_on_its_date()
    {
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Part("PUMP", "A", "2026-01-10",
                Line(10, "IMP-OLD", 1, effectiveTo: "2026-03-01"),
                Line(10, "IMP-NEW", 1, effectiveFrom: "2026-03-01")),
            Part("IMP-OLD", "A", "2026-01-10"), Part("IMP-NEW", "A", "2026-01-10")));

        Lines(await Api.Bom("PUMP", "effective=2026-02-28")).Select(l => l.Part).ShouldBe(["IMP-OLD"]);
        Lines(await Api.Bom("PUMP", "effective=2026-03-01")).Select(l => l.Part).ShouldBe(["IMP-NEW"]);
    }

    [Fact]
    public async Task a_line_without_effectivity_starts_with_its_revision()
    {
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Part("PUMP", "A", "2026-01-20", Line(10, "IMP", 1)), Part("IMP", "A", "2026-01-10")));

        var bom = await Api.Bom("PUMP", "effective=2026-01-20");

        bom.Json["lines"]![0]!["effectiveFrom"]!.GetValue<string>().ShouldBe("2026-01-20");
        bom.Json["lines"]![0]!["effectiveTo"].ShouldBeNull();
    }

    [Fact]
    public async Task the_revision_effective_on_the_date_is_chosen()
    {
        await Api.Release(Package("REL-A", "2026-01-10T08:00:00Z",
            Part("PUMP", "A", "2026-01-10", Line(10, "IMP", 1)), Part("IMP", "A", "2026-01-10")));
        await Api.Release(Package("REL-B", "2026-02-10T08:00:00Z",
            Part("PUMP", "B", "2026-03-01", Line(10, "IMP", 2))));

        (await Api.Bom("PUMP", "effective=2026-02-15")).Json["revision"]!.GetValue<string>().ShouldBe("A");
        var later = await Api.Bom("PUMP", "effective=2026-03-15");
        later.Json["revision"]!.GetValue<string>().ShouldBe("B");
        Lines(later).Single().Extended.ShouldBe(2m);
        (await Api.Bom("PUMP", "effective=2026-01-01")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task as_of_an_instant_before_a_later_release_the_bom_reads_as_the_hub_knew_it_then()
    {
        var first = await Api.Release(Package("REL-A", "2026-01-10T08:00:00Z",
            Part("PUMP", "A", "2026-01-10", Line(10, "IMP", 1)), Part("IMP", "A", "2026-01-10")));
        var knownThen = first.Json["recordedAt"]!.GetValue<string>();
        await Api.Release(Package("REL-B", "2026-02-10T08:00:00Z",
            Part("PUMP", "B", "2026-01-10", Line(10, "IMP", 5))));

        var now = await Api.Bom("PUMP", "effective=2026-03-01");
        var then = await Api.Bom("PUMP", $"effective=2026-03-01&asOf={knownThen}");

        now.Json["revision"]!.GetValue<string>().ShouldBe("B");
        then.Status.ShouldBe(200, then.ToString());
        then.Json["revision"]!.GetValue<string>().ShouldBe("A");
        then.Json["asOf"]!.GetValue<string>().ShouldBe(knownThen);
        Lines(then).Single().Extended.ShouldBe(1m);
    }

    [Fact]
    public async Task as_of_applies_to_every_level_of_the_explosion()
    {
        var first = await Api.Release(Package("REL-A", "2026-01-10T08:00:00Z",
            Part("TOP", "A", "2026-01-10", Line(10, "SUB", 2)),
            Part("SUB", "A", "2026-01-10", Line(10, "LEAF", 3)),
            Part("LEAF", "A", "2026-01-10")));
        var knownThen = first.Json["recordedAt"]!.GetValue<string>();
        await Api.Release(Package("REL-B", "2026-02-10T08:00:00Z",
            Part("SUB", "B", "2026-01-10", Line(10, "LEAF", 10))));

        Lines(await Api.Bom("TOP", "depth=all&effective=2026-03-01")).ShouldBe([(1, "SUB", 2m), (2, "LEAF", 20m)]);
        Lines(await Api.Bom("TOP", $"depth=all&effective=2026-03-01&asOf={knownThen}"))
            .ShouldBe([(1, "SUB", 2m), (2, "LEAF", 6m)]);
    }

    [Fact]
    public async Task before_the_part_was_known_it_is_not_found()
    {
        var first = await Api.Release(Package("REL-A", "2026-01-10T08:00:00Z", Part("OLD", "A", "2026-01-10")));
        var knownThen = first.Json["recordedAt"]!.GetValue<string>();
        await Api.Release(Package("REL-B", "2026-02-10T08:00:00Z", Part("NEW", "A", "2026-01-10")));

        (await Api.Bom("NEW", $"effective=2026-03-01&asOf={knownThen}")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_named_revision_is_exploded_even_when_another_is_effective()
    {
        await Api.Release(Package("REL-A", "2026-01-10T08:00:00Z",
            Part("PUMP", "A", "2026-01-10", Line(10, "IMP", 1)), Part("IMP", "A", "2026-01-10")));
        await Api.Release(Package("REL-B", "2026-02-10T08:00:00Z", Part("PUMP", "B", "2026-02-10", Line(10, "IMP", 2))));

        var bom = await Api.Bom("PUMP", "revision=A&effective=2026-03-01");

        bom.Json["revision"]!.GetValue<string>().ShouldBe("A");
        Lines(bom).Single().Extended.ShouldBe(1m);
        (await Api.Bom("PUMP", "revision=Z")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task base_quantities_and_unit_conversions_give_quantities_per_one_top_part_in_the_child_unit()
    {
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            new
            {
                partNumber = "BATCH", revision = "A", description = "Mix", unit = "KG", type = "make",
                baseQuantity = 500, baseUnit = "G", effectiveFrom = "2026-01-10",
                bom = new[] { new { findNumber = 10, partNumber = "RESIN", quantity = 250, unit = "G" } },
            },
            new { partNumber = "RESIN", revision = "A", description = "Resin", unit = "KG", type = "rawMaterial" }));

        var line = (await Api.Bom("BATCH", "effective=2026-02-01")).Json["lines"]![0]!;

        line["quantity"]!.GetValue<decimal>().ShouldBe(250m);
        line["unit"]!.GetValue<string>().ShouldBe("G");
        line["extendedQuantity"]!.GetValue<decimal>().ShouldBe(0.5m);
        line["extendedUnit"]!.GetValue<string>().ShouldBe("KG");
    }

    [Theory]
    [InlineData("effective=2026-13-01", "effective")]
    [InlineData("asOf=last-tuesday", "asOf")]
    [InlineData("depth=0", "depth")]
    public async Task a_bad_query_parameter_is_named(string query, string parameter)
    {
        await ReleaseThreeLevels();

        var answer = await Api.Bom("TOP", query);

        answer.Status.ShouldBe(400);
        answer.ErrorFields.ShouldBe([parameter]);
    }

    [Fact]
    public async Task an_unknown_part_is_a_404_problem()
    {
        var answer = await Api.Bom("PN-NOPE");

        answer.Status.ShouldBe(404);
        answer.ContentType.ShouldStartWith("application/problem+json");
        answer.Json["detail"]!.GetValue<string>().ShouldContain("PN-NOPE");
        (await Api.Part("PN-NOPE")).Status.ShouldBe(404);
        (await Api.History("PN-NOPE")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task part_numbers_with_blanks_work_in_urls()
    {
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Part("_Test FG Item", "A", "2026-01-10", Line(10, "_Test Item", 2)), Part("_Test Item", "A", "2026-01-10")));

        var bom = await Api.Bom("_Test FG Item", "effective=2026-02-01");

        bom.Status.ShouldBe(200, bom.ToString());
        Lines(bom).ShouldBe([(1, "_Test Item", 2m)]);
    }
}
