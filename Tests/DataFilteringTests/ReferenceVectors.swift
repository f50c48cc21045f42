import StageKitTestSupport
// Figures from ../shared/reference/data-filtering-test-vectors.json (version 1), computed by the reference
// implementation of Goyal et al. (locuslab/scaling_laws_data_filtering @ ba37663; published parameters
// from cf5ced1). They are facts to check against, written in so the tests pass without ../shared.

/// A single-pool vector: both laws and the effective samples at one budget.
struct SinglePoolVector {
    let id: String
    let a, b, tau, d: Double
    let samplesPerEpoch, samplesSeen: Int64
    let effectiveUtility, effectiveData, effectiveSamples: Double
}

/// A mixture vector: τ̂ already scaled, S the union's size.
struct MixtureVector {
    let id: String
    let a: Double
    let b, tauHat: [Double]
    let d: Double
    let samplesPerEpoch, samplesSeen: Int64
    let utility, data: Double
}

/// A best-pool vector: unsorted pools, every top-k error and the best k.
struct BestPoolVector {
    let id: String
    let objective: String
    let a: Double
    let b, tau: [Double]
    let d: Double
    let poolSize, budget: Int64
    let expectedErrors: [Double]
    let expectedBestK: Int
}

/// Published fitted parameters (T-MARS pools, ImageNet-1k).
struct PublishedParameters {
    let id: String
    let objective: String
    let pools: [String]
    let a, d: Double
    let b, tau: [Double]
}

/// Single-pool curves with the published parameters.
struct FittedCurveVector {
    let paramsID, objective, pool: String
    let samplesPerEpoch: Int64
    let samplesSeen: [Int64]
    let expectedError: [Double]
}

/// The reproduction table: first 4 published pools, 4 budgets.
struct ReproductionVector {
    let paramsID, objective: String
    let poolSize, budget: Int64
    let d: Double
    let expectedErrors: [Double]
    let accuracyPercent: [Double]
    let expectedBestK: Int
}

/// Grid-fit vectors: observations generated at grid index (25, 40).
struct GridFitVector {
    let id, objective: String
    let a, d: Double
    let samplesPerEpoch: Int64
    let samplesSeen: [Int64]
    let observedError: [Double]
    let expectedB: Double
    let expectedBIndex: Int
    let expectedTau: Double
    let expectedTauIndex: Int
    let expectedSSE: Double
}

enum ReferenceVectors {
    static let singlePool: [SinglePoolVector] = [
        SinglePoolVector(id: "synthetic_N0", a: 0.022, b: -0.13, tau: 3.0, d: 0.1, samplesPerEpoch: 12800000, samplesSeen: 0, effectiveUtility: 0.1, effectiveData: 0.1, effectiveSamples: 0.0),
        SinglePoolVector(id: "synthetic_N6400000", a: 0.022, b: -0.13, tau: 3.0, d: 0.1, samplesPerEpoch: 12800000, samplesSeen: 6400000, effectiveUtility: 1.0564926891121758, effectiveData: 1.0564926891121758, effectiveSamples: 1.408),
        SinglePoolVector(id: "synthetic_N12800000", a: 0.022, b: -0.13, tau: 3.0, d: 0.1, samplesPerEpoch: 12800000, samplesSeen: 12800000, effectiveUtility: 0.9740731012251986, effectiveData: 0.9740731012251986, effectiveSamples: 2.816),
        SinglePoolVector(id: "synthetic_N19200000", a: 0.022, b: -0.13, tau: 3.0, d: 0.1, samplesPerEpoch: 12800000, samplesSeen: 19200000, effectiveUtility: 0.9341621491373229, effectiveData: 0.9369090697731859, effectiveSamples: 3.9335303405856124),
        SinglePoolVector(id: "synthetic_N25600000", a: 0.022, b: -0.13, tau: 3.0, d: 0.1, samplesPerEpoch: 12800000, samplesSeen: 25600000, effectiveUtility: 0.9068405966690686, effectiveData: 0.9101403510502858, effectiveSamples: 5.051060681171225),
        SinglePoolVector(id: "synthetic_N32000000", a: 0.022, b: -0.13, tau: 3.0, d: 0.1, samplesPerEpoch: 12800000, samplesSeen: 32000000, effectiveUtility: 0.8904192106673576, effectiveData: 0.8932797095315897, effectiveSamples: 5.938045100297216),
        SinglePoolVector(id: "synthetic_N64000000", a: 0.022, b: -0.13, tau: 3.0, d: 0.1, samplesPerEpoch: 12800000, samplesSeen: 64000000, effectiveUtility: 0.8511171200268833, effectiveData: 0.8478097273658247, effectiveSamples: 9.350559860008818),
        SinglePoolVector(id: "synthetic_N128000000", a: 0.022, b: -0.13, tau: 3.0, d: 0.1, samplesPerEpoch: 12800000, samplesSeen: 128000000, effectiveUtility: 0.8342275489088654, effectiveData: 0.8216582978275025, effectiveSamples: 12.295801658990612),
        SinglePoolVector(id: "synthetic_N640000000", a: 0.022, b: -0.13, tau: 3.0, d: 0.1, samplesPerEpoch: 12800000, samplesSeen: 640000000, effectiveUtility: 0.8303499390999044, effectiveData: 0.8119230491389011, effectiveSamples: 13.649927828544325),
        SinglePoolVector(id: "odd_N1000000_S3000000", a: 0.05, b: -0.3, tau: 1.5, d: 0.2, samplesPerEpoch: 3000000, samplesSeen: 1000000, effectiveUtility: 1.4311444133449163, effectiveData: 1.4311444133449163, effectiveSamples: 0.5),
        SinglePoolVector(id: "odd_N7500000_S3000000", a: 0.05, b: -0.3, tau: 1.5, d: 0.2, samplesPerEpoch: 3000000, samplesSeen: 7500000, effectiveUtility: 0.9272313110728301, effectiveData: 0.9388431999713975, effectiveSamples: 2.7425784846651924),
        SinglePoolVector(id: "odd_N9000000_S3000000", a: 0.05, b: -0.3, tau: 1.5, d: 0.2, samplesPerEpoch: 3000000, samplesSeen: 9000000, effectiveUtility: 0.9073214102124444, effectiveData: 0.9163555997547554, effectiveSamples: 3.04021618190923),
        SinglePoolVector(id: "odd_N31415926_S2718281", a: 0.05, b: -0.3, tau: 1.5, d: 0.2, samplesPerEpoch: 2718281, samplesSeen: 31415926, effectiveUtility: 0.8897479054461831, effectiveData: 0.8778568445307444, effectiveSamples: 3.6548821785291628),
    ]

    static let mixture: [MixtureVector] = [
        MixtureVector(id: "mix2_N10000000", a: 0.022, b: [-0.15, -0.13], tauHat: [4.0, 6.0], d: 0.1, samplesPerEpoch: 25600000, samplesSeen: 10000000, utility: 0.9954901737596104, data: 0.9954901737596104),
        MixtureVector(id: "mix2_N25600000", a: 0.022, b: [-0.15, -0.13], tauHat: [4.0, 6.0], d: 0.1, samplesPerEpoch: 25600000, samplesSeen: 25600000, utility: 0.8850679168673975, data: 0.8850679168673975),
        MixtureVector(id: "mix2_N64000000", a: 0.022, b: [-0.15, -0.13], tauHat: [4.0, 6.0], d: 0.1, samplesPerEpoch: 25600000, samplesSeen: 64000000, utility: 0.7950972118177232, data: 0.8014016755776783),
        MixtureVector(id: "mix2_N128000000", a: 0.022, b: [-0.15, -0.13], tauHat: [4.0, 6.0], d: 0.1, samplesPerEpoch: 25600000, samplesSeen: 128000000, utility: 0.7468262304174788, data: 0.7509557441629933),
        MixtureVector(id: "mix2_N640000000", a: 0.022, b: [-0.15, -0.13], tauHat: [4.0, 6.0], d: 0.1, samplesPerEpoch: 25600000, samplesSeen: 640000000, utility: 0.7076096727995865, data: 0.6943869192123079),
        MixtureVector(id: "mix3_N32000000", a: 0.025, b: [-0.16, -0.125, -0.1], tauHat: [20.181818181818183, 25.63636363636364, 15.818181818181817], d: 0.1, samplesPerEpoch: 38400000, samplesSeen: 32000000, utility: 0.8657789985471914, data: 0.8657789985471914),
        MixtureVector(id: "mix3_N100000000", a: 0.025, b: [-0.16, -0.125, -0.1], tauHat: [20.181818181818183, 25.63636363636364, 15.818181818181817], d: 0.1, samplesPerEpoch: 38400000, samplesSeen: 100000000, utility: 0.7540011383178326, data: 0.7640361898045938),
        MixtureVector(id: "mix3_N640000000", a: 0.025, b: [-0.16, -0.125, -0.1], tauHat: [20.181818181818183, 25.63636363636364, 15.818181818181817], d: 0.1, samplesPerEpoch: 38400000, samplesSeen: 640000000, utility: 0.6243515070972889, data: 0.6384691605470194),
    ]

    static let bestPool: [BestPoolVector] = [
        BestPoolVector(id: "synthetic4_effective_utility_N32000000", objective: "effective_utility", a: 0.022, b: [-0.15, -0.13, -0.11, -0.09], tau: [2.0, 3.0, 4.0, 5.0], d: 0.1, poolSize: 12800000, budget: 32000000, expectedErrors: [0.8736418280871934, 0.8614951692734762, 0.8759175130056144, 0.8912091132944484], expectedBestK: 2),
        BestPoolVector(id: "synthetic4_effective_utility_N64000000", objective: "effective_utility", a: 0.022, b: [-0.15, -0.13, -0.11, -0.09], tau: [2.0, 3.0, 4.0, 5.0], d: 0.1, poolSize: 12800000, budget: 64000000, expectedErrors: [0.8416563859280498, 0.7950972118177232, 0.8070422062395921, 0.8266847738313648], expectedBestK: 2),
        BestPoolVector(id: "synthetic4_effective_utility_N128000000", objective: "effective_utility", a: 0.022, b: [-0.15, -0.13, -0.11, -0.09], tau: [2.0, 3.0, 4.0, 5.0], d: 0.1, poolSize: 12800000, budget: 128000000, expectedErrors: [0.832200939649822, 0.7468262304174788, 0.7474253090142577, 0.7654334282278045], expectedBestK: 2),
        BestPoolVector(id: "synthetic4_effective_utility_N640000000", objective: "effective_utility", a: 0.022, b: [-0.15, -0.13, -0.11, -0.09], tau: [2.0, 3.0, 4.0, 5.0], d: 0.1, poolSize: 12800000, budget: 640000000, expectedErrors: [0.8311299993566004, 0.7076096727995865, 0.6668041766686744, 0.6649586922422359], expectedBestK: 4),
        BestPoolVector(id: "synthetic4_effective_data_N32000000", objective: "effective_data", a: 0.022, b: [-0.15, -0.13, -0.11, -0.09], tau: [2.0, 3.0, 4.0, 5.0], d: 0.1, poolSize: 12800000, budget: 32000000, expectedErrors: [0.8741282640149654, 0.8638663617239022, 0.8759175130056144, 0.8912091132944484], expectedBestK: 2),
        BestPoolVector(id: "synthetic4_effective_data_N64000000", objective: "effective_data", a: 0.022, b: [-0.15, -0.13, -0.11, -0.09], tau: [2.0, 3.0, 4.0, 5.0], d: 0.1, poolSize: 12800000, budget: 64000000, expectedErrors: [0.8332192382640553, 0.8014016755776783, 0.812184568010497, 0.8290739782734723], expectedBestK: 2),
        BestPoolVector(id: "synthetic4_effective_data_N128000000", objective: "effective_data", a: 0.022, b: [-0.15, -0.13, -0.11, -0.09], tau: [2.0, 3.0, 4.0, 5.0], d: 0.1, poolSize: 12800000, budget: 128000000, expectedErrors: [0.8155331229742296, 0.7509557441629933, 0.7565265849383515, 0.7737584399914661], expectedBestK: 2),
        BestPoolVector(id: "synthetic4_effective_data_N640000000", objective: "effective_data", a: 0.022, b: [-0.15, -0.13, -0.11, -0.09], tau: [2.0, 3.0, 4.0, 5.0], d: 0.1, poolSize: 12800000, budget: 640000000, expectedErrors: [0.8121336404876749, 0.6943869192123079, 0.6673326315834117, 0.6740739749363402], expectedBestK: 3),
        BestPoolVector(id: "synthetic4_unsorted_effective_utility_N32000000", objective: "effective_utility", a: 0.022, b: [-0.09, -0.15, -0.11, -0.13], tau: [5.0, 2.0, 4.0, 3.0], d: 0.1, poolSize: 12800000, budget: 32000000, expectedErrors: [0.8736418280871934, 0.8614951692734762, 0.8759175130056144, 0.8912091132944484], expectedBestK: 2),
        BestPoolVector(id: "synthetic4_unsorted_effective_utility_N64000000", objective: "effective_utility", a: 0.022, b: [-0.09, -0.15, -0.11, -0.13], tau: [5.0, 2.0, 4.0, 3.0], d: 0.1, poolSize: 12800000, budget: 64000000, expectedErrors: [0.8416563859280498, 0.7950972118177232, 0.8070422062395921, 0.8266847738313648], expectedBestK: 2),
        BestPoolVector(id: "synthetic4_unsorted_effective_utility_N128000000", objective: "effective_utility", a: 0.022, b: [-0.09, -0.15, -0.11, -0.13], tau: [5.0, 2.0, 4.0, 3.0], d: 0.1, poolSize: 12800000, budget: 128000000, expectedErrors: [0.832200939649822, 0.7468262304174788, 0.7474253090142577, 0.7654334282278045], expectedBestK: 2),
        BestPoolVector(id: "synthetic4_unsorted_effective_utility_N640000000", objective: "effective_utility", a: 0.022, b: [-0.09, -0.15, -0.11, -0.13], tau: [5.0, 2.0, 4.0, 3.0], d: 0.1, poolSize: 12800000, budget: 640000000, expectedErrors: [0.8311299993566004, 0.7076096727995865, 0.6668041766686744, 0.6649586922422359], expectedBestK: 4),
    ]

    static let published: [PublishedParameters] = [
        PublishedParameters(id: "tmars_imagenet1k_utility", objective: "effective_utility", pools: ["tmars_top0to10p", "tmars_top10to20p", "tmars_top20to30p", "tmars_top30to40p", "tmars_top0to40p_random25p"], a: 0.025, d: 0.1, b: [-0.16, -0.125, -0.1, -0.085, -0.12000000000000001], tau: [6.7272727272727275, 8.545454545454547, 5.2727272727272725, 2.2727272727272725, 6.0]),
        PublishedParameters(id: "tmars_imagenet1k_data", objective: "effective_data", pools: ["tmars_top0to10p", "tmars_top10to20p", "tmars_top20to30p", "tmars_top30to40p", "tmars_top0to40p_random25p"], a: 0.022, d: 0.1, b: [-0.18227272727272728, -0.14484848484848487, -0.1353030303030303, -0.09757575757575758, -0.141969696969697], tau: [4.0, 4.363636363636363, 2.909090909090909, 1.4545454545454546, 3.4545454545454546]),
    ]

    static let fittedCurves: [FittedCurveVector] = [
        FittedCurveVector(paramsID: "tmars_imagenet1k_utility", objective: "effective_utility", pool: "tmars_top0to10p", samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], expectedError: [0.8416298027405024, 0.7718242960697022, 0.7407672394136866, 0.7234332587637649, 0.7127099872429348]),
        FittedCurveVector(paramsID: "tmars_imagenet1k_utility", objective: "effective_utility", pool: "tmars_top10to20p", samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], expectedError: [0.8906087365599005, 0.829330592385966, 0.8005207454172338, 0.7836466887252898, 0.7727203051173003]),
        FittedCurveVector(paramsID: "tmars_imagenet1k_utility", objective: "effective_utility", pool: "tmars_top20to30p", samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], expectedError: [0.9318066936433881, 0.8858612841092203, 0.8660324548842396, 0.8554240087956743, 0.8491663370737621]),
        FittedCurveVector(paramsID: "tmars_imagenet1k_utility", objective: "effective_utility", pool: "tmars_top30to40p", samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], expectedError: [0.9631127277621505, 0.9360316473424354, 0.9276703587066921, 0.9244806803620953, 0.9231428292072569]),
        FittedCurveVector(paramsID: "tmars_imagenet1k_utility", objective: "effective_utility", pool: "tmars_top0to40p_random25p", samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], expectedError: [0.900463611435746, 0.8454601005390632, 0.8211726993102697, 0.8078259461521009, 0.799724654534303]),
        FittedCurveVector(paramsID: "tmars_imagenet1k_data", objective: "effective_data", pool: "tmars_top0to10p", samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], expectedError: [0.8408607854579214, 0.7720503610934394, 0.7413084892996191, 0.7241732966166845, 0.7136646232511136]),
        FittedCurveVector(paramsID: "tmars_imagenet1k_data", objective: "effective_data", pool: "tmars_top10to20p", samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], expectedError: [0.8871648877311546, 0.827217257170591, 0.799586867789596, 0.7837903082179003, 0.7738690114785478]),
        FittedCurveVector(paramsID: "tmars_imagenet1k_data", objective: "effective_data", pool: "tmars_top20to30p", samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], expectedError: [0.9035586216941972, 0.8527241757221533, 0.8313026855522863, 0.8202343608796681, 0.8140158134271599]),
        FittedCurveVector(paramsID: "tmars_imagenet1k_data", objective: "effective_data", pool: "tmars_top30to40p", samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], expectedError: [0.962300971706924, 0.9352950331625707, 0.9270298813894114, 0.9240755028254897, 0.9229674943355479]),
        FittedCurveVector(paramsID: "tmars_imagenet1k_data", objective: "effective_data", pool: "tmars_top0to40p_random25p", samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], expectedError: [0.8930572234865136, 0.8374044752630504, 0.8129253122050405, 0.7996396840010996, 0.791757390617348]),
    ]

    static let reproduction: [ReproductionVector] = [
        ReproductionVector(paramsID: "tmars_imagenet1k_utility", objective: "effective_utility", poolSize: 12800000, budget: 32000000, d: 0.1, expectedErrors: [0.8175287362543828, 0.8416394371545322, 0.8657789985471914, 0.8832256945650481], accuracyPercent: [18.247126374561716, 15.836056284546785, 13.422100145280858, 11.677430543495193], expectedBestK: 1),
        ReproductionVector(paramsID: "tmars_imagenet1k_utility", objective: "effective_utility", poolSize: 12800000, budget: 64000000, d: 0.1, expectedErrors: [0.753789637082097, 0.7669856580112071, 0.7960198040392135, 0.8201107546999952], accuracyPercent: [24.6210362917903, 23.30143419887929, 20.398019596078655, 17.98892453000048], expectedBestK: 1),
        ReproductionVector(paramsID: "tmars_imagenet1k_utility", objective: "effective_utility", poolSize: 12800000, budget: 128000000, d: 0.1, expectedErrors: [0.7127099872429348, 0.7040003405525714, 0.7323403787915516, 0.7587190166530328], accuracyPercent: [28.729001275706523, 29.599965944742856, 26.765962120844843, 24.128098334696723], expectedBestK: 2),
        ReproductionVector(paramsID: "tmars_imagenet1k_utility", objective: "effective_utility", poolSize: 12800000, budget: 640000000, d: 0.1, expectedErrors: [0.6882421336379347, 0.6144756496831195, 0.6243515070972889, 0.648641053484556], accuracyPercent: [31.175786636206524, 38.55243503168805, 37.564849290271106, 35.1358946515444], expectedBestK: 2),
        ReproductionVector(paramsID: "tmars_imagenet1k_data", objective: "effective_data", poolSize: 12800000, budget: 32000000, d: 0.1, expectedErrors: [0.8175131636305031, 0.8286476845307722, 0.8402083020040321, 0.8609214515768168], accuracyPercent: [18.248683636949693, 17.135231546922782, 15.979169799596793, 13.907854842318324], expectedBestK: 1),
        ReproductionVector(paramsID: "tmars_imagenet1k_data", objective: "effective_data", poolSize: 12800000, budget: 64000000, d: 0.1, expectedErrors: [0.7542053351994678, 0.7557625093090893, 0.7677142237034493, 0.7916564765982287], accuracyPercent: [24.579466480053224, 24.423749069091073, 23.228577629655067, 20.83435234017713], expectedBestK: 1),
        ReproductionVector(paramsID: "tmars_imagenet1k_data", objective: "effective_data", poolSize: 12800000, budget: 128000000, d: 0.1, expectedErrors: [0.7136646232511135, 0.6946837075144403, 0.7045282975292301, 0.7305952522061167], accuracyPercent: [28.633537674888654, 30.53162924855597, 29.54717024707699, 26.940474779388335], expectedBestK: 2),
        ReproductionVector(paramsID: "tmars_imagenet1k_data", objective: "effective_data", poolSize: 12800000, budget: 640000000, d: 0.1, expectedErrors: [0.6923057208325083, 0.6097686429636434, 0.5990978432810107, 0.620812025402534], accuracyPercent: [30.76942791674917, 39.02313570363566, 40.09021567189893, 37.9187974597466], expectedBestK: 3),
    ]

    static let gridFit: [GridFitVector] = [
        GridFitVector(id: "recover_effective_utility", objective: "effective_utility", a: 0.022, d: 0.1, samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], observedError: [0.901346806124038, 0.84633923310699, 0.8236489575351178, 0.8119808586492109, 0.8053523037222332], expectedB: -0.13, expectedBIndex: 25, expectedTau: 4.636363636363637, expectedTauIndex: 40, expectedSSE: 0.0),
        GridFitVector(id: "recover_effective_data", objective: "effective_data", a: 0.022, d: 0.1, samplesPerEpoch: 12800000, samplesSeen: [25600000, 51200000, 76800000, 102400000, 128000000], observedError: [0.9062627363636913, 0.8501614148475348, 0.8238723078012499, 0.8086226888574474, 0.7989078590166799], expectedB: -0.13, expectedBIndex: 25, expectedTau: 4.636363636363637, expectedTauIndex: 40, expectedSSE: 0.0),
    ]
}
