using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Plants.Publishing;

namespace ProductHub.Hub.Plants.Configuring;

public static class ConfigurePlantDecision
{
    public static PlantRules RulesOf(ConfigurePlant command) => (command.Rules ?? new RulesBody(null, null, null, null, null)).ToRules();

    /// <summary>
    /// Every change is one event with the whole configuration, and recomputes everything the plant receives; the
    /// same configuration again records nothing.
    /// </summary>
    public static PlantDecision? Decide(string plantCode, ConfigurePlant command, Plant? plant, Instant now)
    {
        var rules = RulesOf(command);
        return plant?.IsConfiguredAs(command.Name, command.ErpInstance, rules) == true
            ? null
            : new PlantDecision(new PlantConfigured(plantCode, command.Name, command.ErpInstance, rules, now),
                new SyncPlant(plantCode, null, "plant configured"));
    }
}
