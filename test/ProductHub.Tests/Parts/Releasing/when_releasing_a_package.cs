using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Parts.Releasing;

public sealed class when_releasing_a_package(HubFixture fixture) : HubScenario(fixture)
{
    private static object PumpPackage(string packageId = "REL-1") => PackageFor(packageId, "2026-02-10T12:00:00Z", "ECO-1001",
        new
        {
            partNumber = "PN-100", revision = "B", description = "Pump assembly", unit = "EA", type = "make",
            compliance = new { rohs = true, reach = true, countryOfOrigin = "DE" },
            approvedManufacturers = new[] { new { manufacturer = "Acme", manufacturerPartNumber = "A-77" } },
            bom = new[] { new { findNumber = 10, partNumber = "PN-200", quantity = 2, unit = "EA", effectiveFrom = "2026-03-01",
                effectiveTo = (string?)null, referenceDesignators = new[] { "M1", "M2" } } },
        },
        new { partNumber = "PN-200", revision = "A", description = "Impeller", unit = "EA", type = "buy", bom = Array.Empty<object>() });

    [Fact]
    public async Task the_facts_are_recorded_and_the_answer_names_them()
    {
        var answer = await Api.Release(PumpPackage());

        answer.Status.ShouldBe(201, answer.ToString());
        answer.Json["packageId"]!.GetValue<string>().ShouldBe("REL-1");
        answer.Json["releaseId"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        answer.Json["recordedAt"].ShouldNotBeNull();
        var parts = answer.Json["parts"]!.AsArray();
        parts.Select(p => (p!["partNumber"]!.GetValue<string>(), p["outcome"]!.GetValue<string>()))
            .ShouldBe([("PN-100", "released"), ("PN-200", "released")]);

        var part = (await Api.Part("PN-100")).Json;
        part["currentRevision"]!.GetValue<string>().ShouldBe("B");
        var revision = part["revisions"]!.AsArray().Single()!;
        revision["state"]!.GetValue<string>().ShouldBe("released");
        revision["compliance"]!["countryOfOrigin"]!.GetValue<string>().ShouldBe("DE");
        revision["approvedManufacturers"]![0]!["manufacturerPartNumber"]!.GetValue<string>().ShouldBe("A-77");
        revision["changeOrder"]!.GetValue<string>().ShouldBe("ECO-1001");
        revision["bomLines"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task every_event_carries_its_source_correlation_and_causation()
    {
        await Api.Release(PumpPackage());

        var events = (await Api.History("PN-100")).Json["events"]!.AsArray();
        events.Select(e => e!["type"]!.GetValue<string>()).ShouldBe(
        [
            "PartRegistered", "RevisionCreated", "ComplianceRecorded", "ApprovedManufacturerAdded", "BomLineAdded",
            "RevisionReleased",
        ]);
        events.Select(e => e!["version"]!.GetValue<long>()).ShouldBe([1L, 2, 3, 4, 5, 6]);
        foreach (var e in events)
        {
            e!["correlationId"]!.GetValue<string>().ShouldBe("ECO-1001");
            e["causationId"]!.GetValue<string>().ShouldBe("REL-1");
            e["userName"]!.GetValue<string>().ShouldBe("test-user"); // who: the caller's token; source: the PLM system
            e["headers"]!["source"]!.GetValue<string>().ShouldBe("plm-test");
        }
        var line = events[4]!["data"]!;
        line["childPartNumber"]!.GetValue<string>().ShouldBe("PN-200");
        line["effectivity"]!["from"]!.GetValue<string>().ShouldBe("2026-03-01");
    }

    [Fact]
    public async Task the_same_package_again_changes_nothing_and_is_answered_as_before()
    {
        var first = await Api.Release(PumpPackage());
        var historyBefore = (await Api.History("PN-100")).Json["events"]!.AsArray().Count;

        var again = await Api.Release(PumpPackage());

        again.Status.ShouldBe(first.Status);
        again.Json.ToJsonString().ShouldBe(first.Json.ToJsonString());
        (await Api.History("PN-100")).Json["events"]!.AsArray().Count.ShouldBe(historyBefore);
    }

    [Fact]
    public async Task a_package_id_reused_for_other_content_is_a_conflict_and_stores_nothing()
    {
        await Api.Release(PumpPackage());

        var reused = await Api.Release(Package("REL-1", "2026-02-11T08:00:00Z", Part("PN-300", "A", "2026-03-01")));

        reused.Status.ShouldBe(409, reused.ToString());
        reused.ContentType.ShouldStartWith("application/problem+json");
        (await Api.History("PN-300")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_new_revision_supersedes_the_current_one()
    {
        await Api.Release(Package("REL-A", "2026-01-10T08:00:00Z", Part("PN-1", "A", "2026-01-10")));

        var answer = await Api.Release(Package("REL-B", "2026-02-10T08:00:00Z", Part("PN-1", "B", "2026-02-10")));

        answer.Status.ShouldBe(201, answer.ToString());
        var part = (await Api.Part("PN-1")).Json;
        part["currentRevision"]!.GetValue<string>().ShouldBe("B");
        var states = part["revisions"]!.AsArray().ToDictionary(
            r => r!["revision"]!.GetValue<string>(), r => r!["state"]!.GetValue<string>());
        states.ShouldBe(new Dictionary<string, string> { ["A"] = "superseded", ["B"] = "released" });
        var types = (await Api.History("PN-1")).Json["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>());
        types.ShouldContain("RevisionSuperseded");
    }

    [Fact]
    public async Task a_released_revision_sent_again_unchanged_in_another_package_records_nothing_new()
    {
        await Api.Release(Package("REL-A", "2026-01-10T08:00:00Z", Part("PN-1", "A", "2026-01-10")));
        var before = (await Api.History("PN-1")).Json["events"]!.AsArray().Count;

        var answer = await Api.Release(Package("REL-A2", "2026-03-10T08:00:00Z", Part("PN-1", "A", "2026-01-10")));

        answer.Status.ShouldBe(201, answer.ToString());
        answer.Json["parts"]![0]!["outcome"]!.GetValue<string>().ShouldBe("unchanged");
        answer.Json["eventCount"]!.GetValue<int>().ShouldBe(0);
        (await Api.History("PN-1")).Json["events"]!.AsArray().Count.ShouldBe(before);
    }

    [Fact]
    public async Task quantities_that_differ_only_in_notation_are_the_same_content()
    {
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Part("PN-1", "A", "2026-01-10", Line(10, "PN-2", 2m)), Part("PN-2", "A", "2026-01-10")));

        var answer = await Api.ReleaseText("""
            { "packageId": "REL-2", "source": "plm-test", "releasedAt": "2026-01-11T08:00:00Z",
              "parts": [ { "partNumber": "PN-1", "revision": "A", "description": "Part PN-1", "unit": "EA", "type": "make",
                           "effectiveFrom": "2026-01-10",
                           "bom": [ { "findNumber": 10, "partNumber": "PN-2", "quantity": 2.000, "unit": "EA" } ] } ] }
            """);

        answer.Status.ShouldBe(201, answer.ToString());
        answer.Json["parts"]![0]!["outcome"]!.GetValue<string>().ShouldBe("unchanged");
    }

    [Fact]
    public async Task the_release_can_be_read_back_by_package_id()
    {
        var released = await Api.Release(PumpPackage());

        var read = await Api.Get("/api/v1/releases/REL-1");

        read.Status.ShouldBe(200);
        read.Json["releaseId"]!.GetValue<string>().ShouldBe(released.Json["releaseId"]!.GetValue<string>());
        (await Api.Get("/api/v1/releases/REL-404")).Status.ShouldBe(404);
    }
}
