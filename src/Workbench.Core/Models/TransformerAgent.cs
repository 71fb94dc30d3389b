using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Workbench.Models;

/// <summary>Size preset of <see cref="TransformerAgent"/>.
/// <see cref="CellChannels"/>: width of the first conv of the image tower (<see cref="CellEncoder"/>; pixel models only).</summary>
public sealed record TransformerSize(int Dim, int Layers, int Heads, int MlpRatio = 2, int CellChannels = 16);

/// <summary>
/// Multimodal transformer agent. Per step, one token sequence is built from
///   [CLS, direction, 49 grid cells (cell content + row + column embeddings), L mission words]
/// and fused by pre-LayerNorm transformer blocks (attention: scaled_dot_product_attention, mission padding
/// masked). The CLS output is the step summary; memory is a GRU over the per-step summaries (chosen over a
/// context window: constant cost per rollout step, and teacher forcing runs the same GRU over the episode).
/// Head: Linear(D → 7).
/// Cell content: symbolic models sum object + colour + state embeddings of the cell's ids; pixel models encode the
/// cell's tile with the image tower <c>image</c> (<see cref="CellEncoder"/>, a patch per cell), a named part that can be
/// initialised from a pretrained classifier (<c>train.init_parts</c>), frozen (<c>train.freeze: [image.*]</c>) or
/// LoRA-adapted (<c>image.proj</c>). Everything after the cell tokens is the same for both modalities.
/// </summary>
public sealed class TransformerAgent : nn.Module, IAgentModel
{
    private const int Cells = AgentObs.View * AgentObs.View;

    private readonly Embedding? object_emb, colour_emb, state_emb;   // symbolic input
    private readonly CellEncoder? image;                               // pixel input
    private readonly Embedding row_emb, col_emb, direction_emb, word_emb, word_pos;
    private readonly Parameter cls;
    private readonly ModuleList<FusionBlock> blocks;
    private readonly LayerNorm norm;
    private readonly GRU memory;
    private readonly LoraLinear head;
    private readonly Tensor row_ids, col_ids, word_ids; // (49), (49), (max mission length): constant index buffers

    public ModelSpec Spec { get; }
    public nn.Module Module => this;
    public int Dim { get; }

    /// <summary>The image tower of a pixel model (module <c>image</c>); null for symbolic models.</summary>
    public CellEncoder? Image => image;

    public TransformerAgent(ModelSpec spec, TransformerSize size) : base(nameof(TransformerAgent))
    {
        Spec = spec;
        int d = Dim = size.Dim;
        if (spec.Input.IsPixels)
        {
            image = new CellEncoder("image", spec.Input.TileSize, size.CellChannels, d);
        }
        else
        {
            // Created first and in this order: symbolic models initialise exactly as before pixels existed.
            object_emb = nn.Embedding(AgentObs.Objects, d);
            colour_emb = nn.Embedding(AgentObs.Colours, d);
            state_emb = nn.Embedding(AgentObs.States, d);
        }
        row_emb = nn.Embedding(AgentObs.View, d);
        col_emb = nn.Embedding(AgentObs.View, d);
        direction_emb = nn.Embedding(AgentObs.Directions, d);
        word_emb = nn.Embedding(spec.VocabSize, d, padding_idx: 0);
        word_pos = nn.Embedding(spec.MaxMissionLength, d);
        cls = new Parameter(randn(1, 1, d) * 0.02);
        blocks = new ModuleList<FusionBlock>(Enumerable.Range(0, size.Layers).Select(i => new FusionBlock($"block{i}", d, size.Heads, size.MlpRatio)).ToArray());
        norm = nn.LayerNorm(d);
        memory = nn.GRU(d, d, batchFirst: true);
        head = new LoraLinear(d, AgentObs.Actions);
        row_ids = tensor(Enumerable.Range(0, Cells).Select(c => (long)(c / AgentObs.View)).ToArray());
        col_ids = tensor(Enumerable.Range(0, Cells).Select(c => (long)(c % AgentObs.View)).ToArray());
        word_ids = tensor(Enumerable.Range(0, spec.MaxMissionLength).Select(i => (long)i).ToArray());
        RegisterComponents();
    }

    /// <summary>Cell contents: symbolic grid (N, 7, 7, 3) ids or pixels (N, 7t, 7t, 3), uint8 → (N, 49, D).</summary>
    private Tensor CellContents(Tensor obs)
    {
        if (image is not null) return image.forward(obs);
        long n = obs.shape[0];
        var g = obs.view(n, Cells, AgentObs.Channels).to_type(ScalarType.Int64);         // (N, 49, 3) ids (uint8 → int64 on the device)
        return object_emb!.forward(g.select(2, 0)).add(colour_emb!.forward(g.select(2, 1)), Scalars.One)
            .add(state_emb!.forward(g.select(2, 2)), Scalars.One);
    }

    /// <summary>Per-step summary: obs (N, H, W, 3) uint8, direction (N), words (N, L, D) embedded, wordMask (N, L) → (N, D).</summary>
    private Tensor Encode(Tensor grid, Tensor direction, Tensor words, Tensor wordMask)
    {
        long n = grid.shape[0];
        var position = row_emb.forward(row_ids).add(col_emb.forward(col_ids), Scalars.One).unsqueeze(0); // (1, 49, D)
        var cells = CellContents(grid).add(position, Scalars.One);                         // (N, 49, D)
        var dir = direction_emb.forward(direction).unsqueeze(1);                           // (N, 1, D)
        var x = cat([cls.expand(n, 1, Dim), dir, cells, words], 1);                        // (N, S = 51 + L, D)
        // Attention mask (N, 1, 1, S): true = may attend. CLS, direction and cells always; words when not padding.
        var keep = cat([ones(n, 2 + Cells, dtype: ScalarType.Bool, device: grid.device), wordMask], 1).view(n, 1, 1, -1);
        foreach (var block in blocks) x = block.forward(x, keep);
        return norm.forward(x.select(1, 0));                                               // (N, D)
    }

    /// <summary>mission (B, L) → word embeddings (B, L, D) with positions, and mask (B, L) of real words.</summary>
    private (Tensor Words, Tensor Mask) EmbedMission(Tensor mission)
    {
        long l = Math.Min(mission.shape[1], Spec.MaxMissionLength);
        mission = mission.narrow(1, 0, l);
        var pos = word_pos.forward(word_ids.narrow(0, 0, l)).unsqueeze(0);                // (1, L, D)
        return (word_emb.forward(mission).add(pos, Scalars.One), mission.ne(Scalars.Zero));
    }

    public Tensor ForwardSequence(AgentSequence s)
    {
        long b = s.Batch, t = s.Time;
        var index = ModelOps.ValidIndex(s.Mask);                                     // (N) flat step ids
        using Scalar steps = t;                                                      // kept alive for the op (see Scalars)
        var episode = index.div(steps, rounding_mode: RoundingMode.floor);           // (N) episode of each step
        var (words, wordMask) = EmbedMission(s.Mission);                             // (B, L, D), (B, L)
        var summary = Encode(
            s.RealSteps(index),
            s.Direction.view(b * t).index_select(0, index),
            words.index_select(0, episode), wordMask.index_select(0, episode));      // (N, D)
        var perStep = ModelOps.Unflatten(summary, index, b, t);                      // (B, T, D)
        var (hidden, _) = memory.forward(perStep, null);                             // (B, T, D)
        return head.forward(hidden);                                                 // (B, T, 7)
    }

    public void CountFlops(FlopCounter flops)
    {
        long l = Spec.MaxMissionLength, tokens = 2 + Cells + l;                     // S = CLS + direction + 49 cells + L words
        if (image is not null) image.CountFlops(flops, Cells);                      // a token per cell from its tile
        else foreach (var table in new[] { object_emb!, colour_emb!, state_emb! }) flops.Embedding(table, Cells);
        flops.Embedding(row_emb, Cells).Embedding(col_emb, Cells);
        flops.Embedding(direction_emb, 1).Embedding(word_emb, l).Embedding(word_pos, l);
        foreach (var block in blocks) block.CountFlops(flops, tokens);
        flops.Gru(memory, 1).Linear(head, 1);
    }

    public Tensor Forward(AgentBatch batch, ref AgentMemory? state)
    {
        var (words, wordMask) = EmbedMission(batch.Mission);
        var summary = Encode(batch.Obs, batch.Direction, words, wordMask);          // (B, D)
        var (hidden, h) = memory.forward(summary.unsqueeze(1), state?.States[0]);    // (B, 1, D), (1, B, D)
        state = new AgentMemory(h);
        return head.forward(hidden.squeeze(1));                                      // (B, 7)
    }
}

/// <summary>Pre-LN transformer block: x + attn(ln(x)); x + mlp(ln(x)).</summary>
public sealed class FusionBlock : nn.Module
{
    private readonly LayerNorm ln1, ln2;
    private readonly LoraLinear qkv, proj, fc1, fc2;
    private readonly int heads;

    public FusionBlock(string name, int dim, int heads, int mlpRatio) : base(name)
    {
        this.heads = heads;
        ln1 = nn.LayerNorm(dim);
        qkv = new LoraLinear(dim, 3 * dim);
        proj = new LoraLinear(dim, dim);
        ln2 = nn.LayerNorm(dim);
        fc1 = new LoraLinear(dim, mlpRatio * dim);
        fc2 = new LoraLinear(mlpRatio * dim, dim);
        RegisterComponents();
    }

    /// <summary>FLOPs of the block over <paramref name="tokens"/> tokens of one sequence (padding is computed, then masked).</summary>
    public void CountFlops(FlopCounter flops, long tokens) =>
        flops.Linear(qkv, tokens).Attention(tokens, tokens, qkv.InFeatures).Linear(proj, tokens).Linear(fc1, tokens).Linear(fc2, tokens);

    /// <summary>x (N, S, D), keep (N, 1, 1, S) bool → (N, S, D).</summary>
    public Tensor forward(Tensor x, Tensor keep)
    {
        long n = x.shape[0], s = x.shape[1], d = x.shape[2];
        var qkvOut = qkv.forward(ln1.forward(x)).view(n, s, 3, heads, d / heads).permute(2, 0, 3, 1, 4); // (3, N, H, S, Dh)
        var attn = F.scaled_dot_product_attention(qkvOut[0], qkvOut[1], qkvOut[2], attn_mask: keep);   // (N, H, S, Dh)
        x = x.add(proj.forward(attn.transpose(1, 2).reshape(n, s, d)), Scalars.One);
        return x.add(fc2.forward(F.gelu(fc1.forward(ln2.forward(x)))), Scalars.One);
    }
}
