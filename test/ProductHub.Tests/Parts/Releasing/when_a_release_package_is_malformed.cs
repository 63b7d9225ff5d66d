using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Parts.Releasing;

/// <summary>400: the package breaks its contract. Problem details name every bad field; nothing is stored.</summary>
public sealed class when_a_release_package_is_malformed(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task a_body_that_is_not_json_is_a_bad_request()
    {
        var answer = await Api.ReleaseText("{ \"packageId\": \"REL-1\", ");

        answer.Status.ShouldBe(400);
        answer.ContentType.ShouldStartWith("application/problem+json");
        answer.Json["type"]!.GetValue<string>().ShouldEndWith("/invalid-request");
        answer.Json["errors"].ShouldNotBeNull();
    }

    [Fact]
    public async Task each_field_that_breaks_the_schema_is_named_by_its_path()
    {
        var answer = await Api.ReleaseText("""
            { "packageId": "REL-1", "source": "plm", "releasedAt": "yesterday",
              "parts": [ { "partNumber": "PN-1", "revision": "A", "description": "Bad", "type": "gizmo",
                           "bom": [ { "findNumber": 10, "partNumber": "PN-2", "quantity": -1, "unit": "EA",
                                      "effectiveFrom": "2026-02-30" } ] } ] }
            """);

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldBe(
            ["$.releasedAt", "$.parts[0].unit", "$.parts[0].type", "$.parts[0].bom[0].quantity", "$.parts[0].bom[0].effectiveFrom"],
            ignoreOrder: true);
        (await Api.History("PN-1")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task an_unknown_field_is_named_rather_than_ignored()
    {
        var answer = await Api.ReleaseText("""
            { "packageId": "REL-1", "source": "plm", "releasedAt": "2026-02-10T12:00:00Z",
              "parts": [ { "partNumber": "PN-1", "revision": "A", "description": "x", "unit": "EA", "type": "buy",
                           "colour": "red" } ] }
            """);

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldContain("$.parts[0].colour");
    }

    [Fact]
    public async Task a_part_twice_in_one_package_is_refused()
    {
        var answer = await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z",
            Part("PN-1", "A", "2026-02-10"), Part("PN-1", "B", "2026-02-10")));

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldBe(["$.parts[1].partNumber"]);
        (await Api.History("PN-1")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task an_effectivity_that_ends_before_it_starts_is_refused()
    {
        var answer = await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z",
            Part("PN-1", "A", "2026-02-10", Line(10, "PN-2", 1, effectiveFrom: "2026-05-01", effectiveTo: "2026-04-01")),
            Part("PN-2", "A", "2026-02-10")));

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldBe(["$.parts[0].bom[0].effectiveTo"]);
        (await Api.History("PN-2")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_part_number_with_a_slash_is_refused()
    {
        var answer = await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z", Part("PN/1", "A", "2026-02-10")));

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldBe(["$.parts[0].partNumber"]);
    }
}
