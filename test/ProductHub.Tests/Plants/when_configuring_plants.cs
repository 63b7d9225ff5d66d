using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Plants;

public sealed class when_configuring_plants(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task each_change_is_kept_and_the_same_configuration_again_records_nothing()
    {
        var created = await Api.ConfigurePlant("P1", Plant());
        var same = await Api.ConfigurePlant("P1", Plant());
        var changed = await Api.Settled(api => api.ConfigurePlant("P1", Plant(new { exclusions = new[] { "TOOL" } })));

        created.Status.ShouldBe(201, created.ToString());
        same.Status.ShouldBe(200);
        same.Json["configurations"]!.GetValue<int>().ShouldBe(1);
        changed.Json["configurations"]!.GetValue<int>().ShouldBe(2);
        var before = created.Json["configuredAt"]!.GetValue<string>();
        var then = await Api.Get($"/api/v1/plants/P1?asOf={before}");
        then.Json["rules"]!["exclusions"]!.AsArray().ShouldBeEmpty();
        (await Api.Get("/api/v1/plants/P1")).Json["rules"]!["exclusions"]![0]!.GetValue<string>().ShouldBe("TOOL");
    }

    [Fact]
    public async Task malformed_rules_name_the_field_and_store_nothing()
    {
        var answer = await Api.ConfigurePlant("P1", new
        {
            name = "Plant",
            erpInstance = "erp-1",
            rules = new
            {
                makeBuy = new[] { new { partNumber = "X", procurement = "lease" } },
                mandatoryAttributes = new[] { new { appliesTo = "buy", attribute = "colour" } },
                substitutions = new[] { new { partNumber = "A", substitute = "A" } },
            },
        });

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldBe(["$.rules.makeBuy[0].procurement"]);
        var semantic = await Api.ConfigurePlant("P1", Plant(new
        {
            mandatoryAttributes = new[] { new { appliesTo = "buy", attribute = "colour" } },
            substitutions = new[] { new { partNumber = "A", substitute = "A" } },
        }));
        semantic.Status.ShouldBe(400, semantic.ToString());
        semantic.ErrorFields.ShouldBe(["$.rules.mandatoryAttributes[0].attribute", "$.rules.substitutions[0].substitute"], ignoreOrder: true);
        (await Api.Get("/api/v1/plants/P1")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task assigning_needs_a_known_plant_and_a_known_part()
    {
        await Api.Release(Release());
        await Api.ConfigurePlant("P1", Plant());

        (await Api.Assign("NOPE", "PUMP")).Status.ShouldBe(404);
        (await Api.Assign("P1", "NOPE")).Status.ShouldBe(404);
        (await Api.Settled(api => api.Assign("P1", "PUMP"))).Status.ShouldBe(201);
        (await Api.Assign("P1", "PUMP")).Status.ShouldBe(200);
        (await Api.Get("/api/v1/plants/P1")).Json["assignedParts"]!.AsArray().Single()!.GetValue<string>().ShouldBe("PUMP");
    }

    [Fact]
    public async Task a_bad_plant_code_is_refused() =>
        (await Api.ConfigurePlant(" P1", Plant())).ErrorFields.ShouldBe(["plantCode"]);
}
