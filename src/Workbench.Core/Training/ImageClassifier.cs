using TorchSharp;
using Workbench.Models;
using static TorchSharp.torch;

namespace Workbench.Training;

/// <summary>
/// An agent architecture's image tower with a class head: tiles (B, t, t, 3) uint8 → class logits (B, K). The tower is
/// taken from an agent built for <see cref="AgentSpec"/> (its module <c>image</c>, a <see cref="CellEncoder"/>), so
/// it is that agent's tower by construction — same class, widths and tile size — and its state-dict names
/// (<c>image.*</c>) are the agent's: <c>train.init_parts: [{from: …, module: image}]</c> copies them over as they are.
/// The head (<c>head</c>) reads the tower's D-dim cell token directly: what the classifier learns to separate
/// linearly is what the agent's transformer reads.
/// </summary>
public sealed class ImageClassifier : nn.Module
{
    /// <summary>The checkpoint <c>task</c> of classifier checkpoints (agent checkpoints have none).</summary>
    public const string Task = "image_classifier";

    private readonly CellEncoder image;
    private readonly LoraLinear head;
    // The agent the tower came from: kept referenced (not registered) so disposing it cannot free the shared tower.
    private readonly IAgentModel _agent;

    public ModelSpec AgentSpec { get; }
    public int Classes { get; }
    public int TileSize => image.TileSize;

    public ImageClassifier(ModelSpec agentSpec, int classes) : base(nameof(ImageClassifier))
    {
        AgentSpec = agentSpec;
        Classes = classes;
        _agent = ModelArchitectures.Create(agentSpec);
        image = TowerOf(_agent) ?? throw new UserError(
            $"model: {agentSpec.Family}/{agentSpec.Size} reading {agentSpec.Input.Describe()} has no image tower (module 'image') to pretrain; " +
            "use a pixel transformer (family: transformer, observation: rgb)");
        head = new LoraLinear(image.Dim, classes);
        RegisterComponents();
    }

    /// <summary>The agent's image tower (module <c>image</c>), or null when it has none.</summary>
    public static CellEncoder? TowerOf(IAgentModel agent) =>
        agent.Module.named_children().FirstOrDefault(c => c.name == "image").module as CellEncoder;

    /// <summary>tiles (B, t, t, 3) uint8 → logits (B, K).</summary>
    public Tensor forward(Tensor tiles) => head.forward(image.EncodeTiles(tiles));
}
