using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Parts.Querying;

/// <summary>
/// GET /api/v1/parts/{partNumber}/differences: two readings of a part, each read with the BOM's semantics (revision,
/// effective, asOf), compared; on the demo's pump, whose rev B changes the impeller from September and adds two bolts.
/// </summary>
public sealed class when_asking_how_a_part_changed(HubFixture fixture) : HubScenario(fixture)
{
    private Task ReleaseDemo(string file) =>
        Api.ReleaseText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Demo", file)));

    private Task<Answer> Differences(string partNumber, string query = "") =>
        Api.Get($"/api/v1/parts/{partNumber}/differences{(query == "" ? "" : "?" + query)}");

    private static IEnumerable<(int FindNumber, string Fields)> ChangedLines(Answer answer) =>
        answer.Json["bom"]!["changed"]!.AsArray()
            .Select(c => (c!["after"]!["findNumber"]!.GetValue<int>(), string.Join(",", c["fields"]!.AsArray().Select(f => f!.GetValue<string>()))));

    private static string Side(Answer answer, string side) =>
        $"{answer.Json[side]!["revision"]} {answer.Json[side]!["effective"]} {answer.Json[side]!["asOf"]?.ToString() ?? "now"}";

    private static JsonArray Items(Answer answer, string area, string kind) => answer.Json[area]![kind]!.AsArray();

    [Fact]
    public async Task without_parameters_it_says_what_the_latest_revision_changed()
    {
        await ReleaseDemo("01-pump-rev-A.json");
        await ReleaseDemo("02-pump-rev-B.json");

        var answer = await Differences("PN-1000", "toEffective=2026-10-01");

        answer.Status.ShouldBe(200, answer.ToString());
        answer.Json["partNumber"]!.GetValue<string>().ShouldBe("PN-1000");
        Side(answer, "from").ShouldBe("A 2026-10-01 now");
        Side(answer, "to").ShouldBe("B 2026-10-01 now");
        ChangedLines(answer).ShouldBe([(20, "partNumber,effectivity"), (40, "quantity,referenceDesignators")]);
        var impeller = answer.Json["bom"]!["changed"]![0]!;
        (impeller["before"]!["partNumber"]!.GetValue<string>(), impeller["after"]!["partNumber"]!.GetValue<string>()).ShouldBe(("PN-1200", "PN-1201"));
        impeller["after"]!["effectiveFrom"]!.GetValue<string>().ShouldBe("2026-09-01");
        var bolts = answer.Json["bom"]!["changed"]![1]!;
        (bolts["before"]!["quantity"]!.GetValue<decimal>(), bolts["after"]!["quantity"]!.GetValue<decimal>()).ShouldBe((4m, 6m));
        bolts["after"]!["referenceDesignators"]!.AsArray().Count.ShouldBe(6);
        // The same routing but for assembly's work instruction (WI-1000 rev B for the new impeller), the same manufacturers
        // and compliance: nothing else listed.
        Items(answer, "bom", "added").ShouldBeEmpty();
        Items(answer, "bom", "removed").ShouldBeEmpty();
        foreach (var kind in new[] { "added", "removed" }) Items(answer, "routing", kind).ShouldBeEmpty(kind);
        var assembly = Items(answer, "routing", "changed").Single()!;
        assembly["after"]!["operationNumber"]!.GetValue<int>().ShouldBe(10);
        assembly["fields"]!.AsArray().Select(f => f!.GetValue<string>()).ShouldBe(["documents"]);
        answer.Json["documents"]!["added"]!.AsArray().Select(d => $"{d!["documentNumber"]} {d["revision"]}").ShouldBe(["WI-1000 B"]);
        answer.Json["documents"]!["removed"]!.AsArray().Select(d => $"{d!["documentNumber"]} {d["revision"]}").ShouldBe(["WI-1000 A"]);
        Items(answer, "approvedManufacturers", "added").ShouldBeEmpty();
        answer.Json["compliance"].ShouldBeNull();

        var today = await Differences("PN-1000");
        today.Status.ShouldBe(200, today.ToString());
        Side(today, "from").ShouldStartWith("A ");
        ChangedLines(today).ShouldContain((40, "quantity,referenceDesignators"));
    }

    [Fact]
    public async Task one_revision_on_two_effective_dates_differs_by_the_lines_effective_on_each()
    {
        await ReleaseDemo("01-pump-rev-A.json");
        await ReleaseDemo("02-pump-rev-B.json");

        var answer = await Differences("PN-1000", "fromRevision=B&fromEffective=2026-07-01&toRevision=B&toEffective=2026-10-01");

        answer.Status.ShouldBe(200, answer.ToString());
        Side(answer, "from").ShouldBe("B 2026-07-01 now");
        ChangedLines(answer).ShouldBe([(20, "partNumber,effectivity")]);
    }

    [Fact]
    public async Task the_same_date_as_known_at_two_instants_differs_by_what_was_released_in_between()
    {
        await ReleaseDemo("01-pump-rev-A.json");
        var beforeB = DateTimeOffset.UtcNow.ToString("O");
        await ReleaseDemo("02-pump-rev-B.json");

        var answer = await Differences("PN-1000", $"fromAsOf={Uri.EscapeDataString(beforeB)}&toEffective=2026-07-01");

        answer.Status.ShouldBe(200, answer.ToString());
        Side(answer, "from").ShouldStartWith("A 2026-07-01 ");
        answer.Json["from"]!["asOf"].ShouldNotBeNull();
        Side(answer, "to").ShouldBe("B 2026-07-01 now");
        // Rev B's old impeller ends in September: on 1 July it differs from rev A by its end date only.
        ChangedLines(answer).ShouldBe([(20, "effectivity"), (40, "quantity,referenceDesignators")]);
        // As known before rev B, nothing changed on that date.
        var sameInstant = await Differences("PN-1000", $"fromAsOf={Uri.EscapeDataString(beforeB)}&toAsOf={Uri.EscapeDataString(beforeB)}&toEffective=2026-07-01");
        ChangedLines(sameInstant).ShouldBeEmpty();
    }

    [Fact]
    public async Task operations_manufacturers_and_compliance_differ_as_released()
    {
        JsonNode Pump(string revision, string effectiveFrom, object[] manufacturers, object compliance, params object[] operations)
        {
            var part = (JsonNode)Routed(Part("PUMP", revision, effectiveFrom, Line(10, "HOUSING", 1), Line(20, "BOLT", 4)), operations);
            part["approvedManufacturers"] = System.Text.Json.JsonSerializer.SerializeToNode(manufacturers);
            part["compliance"] = System.Text.Json.JsonSerializer.SerializeToNode(compliance);
            return part;
        }
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Pump("A", "2026-01-10", [new { manufacturer = "Acme", manufacturerPartNumber = "A-1" }], new { rohs = true, reach = false },
                Operation(10, "WC-ASSY", 12, consumes: [10, 20]), Operation(20, "WC-PAINT", 8)),
            Part("HOUSING", "A", "2026-01-10"), Part("BOLT", "A", "2026-01-10")));
        await Api.Release(Package("REL-2", "2026-02-10T08:00:00Z",
            Pump("B", "2026-03-01", [new { manufacturer = "Volta", manufacturerPartNumber = "V-9" }], new { rohs = true, reach = true },
                Operation(10, "WC-CELL", 12, consumes: [10, 20]), Operation(30, "WC-TEST", 6))));

        var answer = await Differences("PUMP", "toEffective=2026-03-15");

        answer.Status.ShouldBe(200, answer.ToString());
        Items(answer, "routing", "added").Select(o => o!["operationNumber"]!.GetValue<int>()).ShouldBe([30]);
        Items(answer, "routing", "removed").Select(o => o!["operationNumber"]!.GetValue<int>()).ShouldBe([20]);
        var changed = Items(answer, "routing", "changed").ShouldHaveSingleItem()!;
        changed["fields"]!.AsArray().Select(f => f!.GetValue<string>()).ShouldBe(["workCenter"]);
        (changed["before"]!["workCenter"]!.GetValue<string>(), changed["after"]!["workCenter"]!.GetValue<string>()).ShouldBe(("WC-ASSY", "WC-CELL"));
        Items(answer, "approvedManufacturers", "added").Single()!["manufacturer"]!.GetValue<string>().ShouldBe("Volta");
        Items(answer, "approvedManufacturers", "removed").Single()!["manufacturer"]!.GetValue<string>().ShouldBe("Acme");
        answer.Json["compliance"]!["before"]!["reach"]!.GetValue<bool>().ShouldBeFalse();
        answer.Json["compliance"]!["after"]!["reach"]!.GetValue<bool>().ShouldBeTrue();
        ChangedLines(answer).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("revision=A", "revision")]
    [InlineData("fromEffective=2026-13-01", "fromEffective")]
    [InlineData("toEffective=tomorrow", "toEffective")]
    [InlineData("fromAsOf=2026-02-10", "fromAsOf")]
    [InlineData("toAsOf=now", "toAsOf")]
    public async Task a_bad_or_unknown_parameter_is_named(string query, string parameter)
    {
        await ReleaseDemo("01-pump-rev-A.json");
        await ReleaseDemo("02-pump-rev-B.json");

        var answer = await Differences("PN-1000", query);

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ContentType.ShouldStartWith("application/problem+json");
        answer.ErrorFields.ShouldBe([parameter]);
    }

    [Fact]
    public async Task an_unknown_part_is_not_found_and_a_side_with_nothing_to_read_is_named()
    {
        await ReleaseDemo("01-pump-rev-A.json");
        await ReleaseDemo("02-pump-rev-B.json");

        (await Differences("PN-NOPE")).Status.ShouldBe(404);
        var noRevision = await Differences("PN-1000", "fromRevision=Z");
        noRevision.Status.ShouldBe(404, noRevision.ToString());
        noRevision.Json["detail"]!.GetValue<string>().ShouldBe("Nothing to compare on the 'from' side: PN-1000 has no released revision Z.");
        var tooEarly = await Differences("PN-1000", "toEffective=2026-01-01");
        tooEarly.Status.ShouldBe(404, tooEarly.ToString());
        tooEarly.Json["detail"]!.GetValue<string>().ShouldStartWith("Nothing to compare on the 'to' side: No revision of PN-1000");
        var first = await Differences("PN-1000", "toRevision=A");
        first.Status.ShouldBe(404, first.ToString());
        first.Json["detail"]!.GetValue<string>().ShouldContain("'from' side: rev A is the first released revision of PN-1000");
        (await Differences("PN-1000", "fromRevision=A&toRevision=A")).Status.ShouldBe(200);
    }
}
