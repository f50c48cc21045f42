import CorpusMining
import DataFiltering
import Engine
import Hls4ml
import HPCTrans
import InfinityMath
import Ontology
import RecordsImport
import StageKit
import Tokompiler

/// The stage kinds this build of pipe knows. Adding a kind is one line here (and its module in
/// Package.swift); its schemas come with it.
enum StageKinds {
    static let all: [any Stage.Type] = [
        RecordsImportStage.self,
        CorpusMineStage.self,
        TokompilerTokenizeStage.self,
        FilterSelectStage.self,
        OntologyRegisterStage.self,
        MathSynthesizeStage.self,
        Hls4mlRecordsStage.self,
        Hls4mlImportStage.self,
        HPCTransRecordsStage.self,
    ]

    /// The kinds and every schema pipe embeds.
    static let catalog = KindCatalog(all)
}
