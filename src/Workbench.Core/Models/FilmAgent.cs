using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Workbench.Models;

/// <summary>Size preset of <see cref="FilmAgent"/>: image channels, instruction (GRU) width, memory (LSTM) width.</summary>
public sealed record FilmSize(int ImageDim, int InstrDim, int MemoryDim, int FilmLayers = 2, int ActorHidden = 64);

/// <summary>
/// BabyAI baseline (Chevalier-Boisvert et al. 2019; BabyAI 1.1 code, <c>babyai/model.py</c>). Symbolic models are
/// "bow_endpool_res": bag-of-words embedding of the 7×7×3 grid (one table for object, colour and state ids, summed per
/// cell). Pixel models are "pixels_endpool_res": a conv over the RGB view with kernel = stride = one cell
/// (BabyAI: 8×8 stride 8 on 8-px tiles; here tile × tile, stride tile, so any tile size gives the 7×7 map), module
/// <c>pixel_stem</c>. Both then share the conv stem, a GRU instruction encoder, FiLM residual blocks conditioned on the
/// instruction, max-pool over the 7×7 map, an LSTM memory and an MLP actor.
/// Differences from the paper, on purpose: no BatchNorm (batch statistics would make step-by-step rollout
/// differ from teacher forcing, and gradient accumulation differ from the full batch); the direction is not
/// an input (the view is egocentric, as in the paper); pixels are normalised ((x / 255 − 0.5) / 0.25,
/// <see cref="PixelInput"/>) where BabyAI feeds raw 0–255 values into a BatchNorm-ed stem — without BatchNorm, raw
/// values would make the first layers' scale 255× off.
/// </summary>
public sealed class FilmAgent : nn.Module, IAgentModel
{
    private readonly Embedding? cell_emb;   // symbolic input
    private readonly Conv2d? pixel_stem;    // pixel input
    private readonly Embedding word_emb;
    private readonly Conv2d stem1, stem2;
    private readonly GRU instr;
    private readonly ModuleList<FilmBlock> films;
    private readonly LSTM memory;
    private readonly LoraLinear actor1, actor2;

    public ModelSpec Spec { get; }
    public nn.Module Module => this;

    public FilmAgent(ModelSpec spec, FilmSize size) : base(nameof(FilmAgent))
    {
        Spec = spec;
        int c = size.ImageDim;
        if (spec.Input.IsPixels)
            pixel_stem = nn.Conv2d(3, c, spec.Input.TileSize, stride: spec.Input.TileSize);  // one output per cell: (7, 7)
        else
            cell_emb = nn.Embedding(AgentObs.Objects + AgentObs.Colours + AgentObs.States, c);
        stem1 = nn.Conv2d(c, c, 3, padding: 1);
        stem2 = nn.Conv2d(c, c, 3, padding: 1);
        word_emb = nn.Embedding(spec.VocabSize, size.InstrDim, padding_idx: 0);
        instr = nn.GRU(size.InstrDim, size.InstrDim, batchFirst: true);
        films = new ModuleList<FilmBlock>(Enumerable.Range(0, size.FilmLayers).Select(i => new FilmBlock($"film{i}", c, size.InstrDim)).ToArray());
        memory = nn.LSTM(c, size.MemoryDim, batchFirst: true);
        actor1 = new LoraLinear(size.MemoryDim, size.ActorHidden);
        actor2 = new LoraLinear(size.ActorHidden, AgentObs.Actions);
        RegisterComponents();
    }

    /// <summary>mission (B, L) → final GRU state at each mission's last word (B, I).</summary>
    private Tensor EncodeMission(Tensor mission)
    {
        long l = Math.Min(mission.shape[1], Spec.MaxMissionLength);
        mission = mission.narrow(1, 0, l);
        var (outputs, _) = instr.forward(word_emb.forward(mission), null);            // (B, L, I)
        var last = mission.ne(Scalars.Zero).sum(1).sub(Scalars.One).clamp_min(Scalars.Zero); // (B) index of last word
        return outputs.gather(1, last.view(-1, 1, 1).expand(-1, 1, outputs.shape[2])).squeeze(1);
    }

    /// <summary>Observations (N, H, W, 3) uint8 → per-cell features (N, C, 7, 7).</summary>
    private Tensor CellFeatures(Tensor obs)
    {
        if (pixel_stem is not null) return pixel_stem.forward(PixelInput.Normalize(obs).permute(0, 3, 1, 2)); // (N, 3, 7t, 7t) → (N, C, 7, 7)
        var grid = obs.to_type(ScalarType.Int64);                                    // ids: uint8 → int64 on the device
        var offsets = tensor(new long[] { 0, AgentObs.Objects, AgentObs.Objects + AgentObs.Colours }, device: grid.device);
        return cell_emb!.forward(grid.add(offsets, Scalars.One)).sum(3).permute(0, 3, 1, 2);         // (N, C, 7, 7)
    }

    /// <summary>obs (N, H, W, 3) uint8, instruction (N, I) → image summary (N, C).</summary>
    private Tensor Encode(Tensor obs, Tensor instruction)
    {
        var x = F.relu(stem2.forward(F.relu(stem1.forward(CellFeatures(obs)))));
        foreach (var film in films) x = film.forward(x, instruction);                   // (N, C, 7, 7)
        return x.amax([2, 3]);                                                        // (N, C) end max-pool
    }

    private Tensor Actor(Tensor h) => actor2.forward(tanh(actor1.forward(h)));

    public Tensor ForwardSequence(AgentSequence s)
    {
        long b = s.Batch, t = s.Time;
        var index = ModelOps.ValidIndex(s.Mask);                                      // (N)
        using Scalar steps = t;                                                       // kept alive for the op (see Scalars)
        var episode = index.div(steps, rounding_mode: RoundingMode.floor);
        var instruction = EncodeMission(s.Mission).index_select(0, episode);          // (N, I)
        var perStep = ModelOps.Unflatten(Encode(s.RealSteps(index), instruction), index, b, t); // (B, T, C)
        var (hidden, _, _) = memory.forward(perStep, null);                           // (B, T, M)
        return Actor(hidden);                                                         // (B, T, 7)
    }

    public void CountFlops(FlopCounter flops)
    {
        const long view = AgentObs.View;                                             // every conv keeps the 7×7 map (padding 1)
        long l = Spec.MaxMissionLength;
        if (pixel_stem is not null) flops.Conv2d(pixel_stem, view, view);                // kernel = stride = one tile: a 7×7 map
        else flops.Embedding(cell_emb!, view * view * AgentObs.Channels);
        flops.Conv2d(stem1, view, view).Conv2d(stem2, view, view);
        flops.Embedding(word_emb, l).Gru(instr, l);                                  // the mission is re-encoded every step
        foreach (var film in films) film.CountFlops(flops);
        flops.Lstm(memory, 1).Linear(actor1, 1).Linear(actor2, 1);
    }

    public Tensor Forward(AgentBatch batch, ref AgentMemory? state)
    {
        var summary = Encode(batch.Obs, EncodeMission(batch.Mission));               // (B, C)
        var previous = state is null ? null : ((Tensor, Tensor)?)(state.States[0], state.States[1]);
        var (hidden, h, c) = memory.forward(summary.unsqueeze(1), previous);          // (B, 1, M)
        state = new AgentMemory(h, c);
        return Actor(hidden.squeeze(1));                                              // (B, 7)
    }
}

/// <summary>FiLM residual block: out = relu(γ(instr) ⊙ conv2(relu(conv1(x))) + β(instr)); returns x + out.</summary>
public sealed class FilmBlock : nn.Module
{
    private readonly Conv2d conv1, conv2;
    private readonly LoraLinear gamma, beta;

    public FilmBlock(string name, int channels, int instrDim) : base(name)
    {
        conv1 = nn.Conv2d(channels, channels, 3, padding: 1);
        conv2 = nn.Conv2d(channels, channels, 3, padding: 1);
        gamma = new LoraLinear(instrDim, channels);
        beta = new LoraLinear(instrDim, channels);
        RegisterComponents();
    }

    /// <summary>FLOPs of the block on one 7×7 map: two convolutions and the γ, β projections of the instruction.</summary>
    public void CountFlops(FlopCounter flops) =>
        flops.Conv2d(conv1, AgentObs.View, AgentObs.View).Conv2d(conv2, AgentObs.View, AgentObs.View).Linear(gamma, 1).Linear(beta, 1);

    /// <summary>x (N, C, 7, 7), instruction (N, I) → (N, C, 7, 7).</summary>
    public Tensor forward(Tensor x, Tensor instruction)
    {
        var y = conv2.forward(F.relu(conv1.forward(x)));
        var g = gamma.forward(instruction).unsqueeze(2).unsqueeze(3);                 // (N, C, 1, 1)
        var bt = beta.forward(instruction).unsqueeze(2).unsqueeze(3);
        return x.add(F.relu((g * y).add(bt, Scalars.One)), Scalars.One);
    }
}
