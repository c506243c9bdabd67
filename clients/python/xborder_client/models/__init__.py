"""Contains all the data models used in inputs/outputs"""

from .account_in import AccountIn
from .account_in_metadata import AccountInMetadata
from .account_in_type import AccountInType
from .account_list import AccountList
from .account_out import AccountOut
from .account_out_metadata import AccountOutMetadata
from .accrual_in import AccrualIn
from .accrue_v1_financing_accruals_post_response_accrue_v1_financing_accruals_post import (
    AccrueV1FinancingAccrualsPostResponseAccrueV1FinancingAccrualsPost,
)
from .adjustment_in import AdjustmentIn
from .advance_detail_out import AdvanceDetailOut
from .advance_detail_out_status import AdvanceDetailOutStatus
from .advance_in import AdvanceIn
from .advance_in_kind import AdvanceInKind
from .advance_list_out import AdvanceListOut
from .advance_out import AdvanceOut
from .advance_out_status import AdvanceOutStatus
from .advance_settle_in import AdvanceSettleIn
from .advance_settlement_out import AdvanceSettlementOut
from .advance_settlement_out_source import AdvanceSettlementOutSource
from .aggregate_balance_out import AggregateBalanceOut
from .aging_bucket_out import AgingBucketOut
from .alert_out import AlertOut
from .alert_out_details import AlertOutDetails
from .alerts_v1_risk_alerts_get_status_type_0 import AlertsV1RiskAlertsGetStatusType0
from .api_key_in import ApiKeyIn
from .api_key_in_role import ApiKeyInRole
from .api_key_issued import ApiKeyIssued
from .api_key_out import ApiKeyOut
from .application_in import ApplicationIn
from .as_of_in import AsOfIn
from .attempt_out import AttemptOut
from .audit_entry_out import AuditEntryOut
from .audit_entry_out_after_type_0 import AuditEntryOutAfterType0
from .audit_entry_out_before_type_0 import AuditEntryOutBeforeType0
from .audit_list import AuditList
from .balance_out import BalanceOut
from .batch_in import BatchIn
from .batch_item_in import BatchItemIn
from .batch_item_in_metadata import BatchItemInMetadata
from .batch_out import BatchOut
from .batch_result_out import BatchResultOut
from .batch_result_out_status import BatchResultOutStatus
from .buyer_limit_in import BuyerLimitIn
from .buyer_limit_out import BuyerLimitOut
from .checkpoint_out import CheckpointOut
from .claim_in import ClaimIn
from .claim_out import ClaimOut
from .claim_payment_in import ClaimPaymentIn
from .claim_payment_out import ClaimPaymentOut
from .conversion_body import ConversionBody
from .conversion_body_customs_mode_type_0 import ConversionBodyCustomsModeType0
from .conversion_body_direction import ConversionBodyDirection
from .conversion_out import ConversionOut
from .conversion_out_rate import ConversionOutRate
from .conversion_stat_out import ConversionStatOut
from .csv_mapping_in import CsvMappingIn
from .csv_mapping_in_mapping import CsvMappingInMapping
from .csv_mapping_list import CsvMappingList
from .csv_mapping_out import CsvMappingOut
from .csv_mapping_out_mapping import CsvMappingOutMapping
from .currency_in import CurrencyIn
from .currency_total_out import CurrencyTotalOut
from .customer_account_out import CustomerAccountOut
from .customer_in import CustomerIn
from .customer_in_fx_class_type_0 import CustomerInFxClassType0
from .customer_in_kind import CustomerInKind
from .customer_list import CustomerList
from .customer_out import CustomerOut
from .cycle_in import CycleIn
from .cycle_out import CycleOut
from .cycle_out_central_accounts import CycleOutCentralAccounts
from .cycle_out_status import CycleOutStatus
from .cycle_summary_out import CycleSummaryOut
from .cycle_summary_out_status import CycleSummaryOutStatus
from .decision_in import DecisionIn
from .decision_out import DecisionOut
from .decision_out_inputs import DecisionOutInputs
from .delivery_out import DeliveryOut
from .delivery_out_status import DeliveryOutStatus
from .disbursement_in import DisbursementIn
from .dpd_out import DpdOut
from .due_diligence_in import DueDiligenceIn
from .endpoint_created import EndpointCreated
from .endpoint_in import EndpointIn
from .endpoint_out import EndpointOut
from .endpoint_patch import EndpointPatch
from .event_out import EventOut
from .event_out_payload import EventOutPayload
from .exception_list import ExceptionList
from .exception_out import ExceptionOut
from .exception_out_side import ExceptionOutSide
from .fees import Fees
from .finance_receivable_in import FinanceReceivableIn
from .flagged_total_out import FlaggedTotalOut
from .fx_class_in import FxClassIn
from .fx_class_in_fx_class import FxClassInFxClass
from .get_bank_rate_v1_rates_bank_get_side import GetBankRateV1RatesBankGetSide
from .get_config_v1_settlement_config_get_response_get_config_v1_settlement_config_get import (
    GetConfigV1SettlementConfigGetResponseGetConfigV1SettlementConfigGet,
)
from .goods_price_in import GoodsPriceIn
from .goods_price_out import GoodsPriceOut
from .haircut_in import HaircutIn
from .haircut_out import HaircutOut
from .health import Health
from .id_number_search_in import IdNumberSearchIn
from .import_out import ImportOut
from .import_statement_v1_recon_statements_file_post_files_body import ImportStatementV1ReconStatementsFilePostFilesBody
from .import_statement_v1_recon_statements_file_post_format_type_0 import (
    ImportStatementV1ReconStatementsFilePostFormatType0,
)
from .imported_statement_out import ImportedStatementOut
from .ingest_report_out import IngestReportOut
from .ingest_report_out_match import IngestReportOutMatch
from .instruction_out import InstructionOut
from .instruction_out_direction import InstructionOutDirection
from .insured_advance_out import InsuredAdvanceOut
from .ledger_in import LedgerIn
from .ledger_out import LedgerOut
from .line_part_out import LinePartOut
from .list_advances_v1_advances_get_status import ListAdvancesV1AdvancesGetStatus
from .list_customers_v1_customers_get_kind_type_0 import ListCustomersV1CustomersGetKindType0
from .list_cycles_v1_netting_cycles_get_kind_type_0 import ListCyclesV1NettingCyclesGetKindType0
from .list_cycles_v1_netting_cycles_get_status_type_0 import ListCyclesV1NettingCyclesGetStatusType0
from .list_deliveries_v1_webhook_deliveries_get_status_type_0 import ListDeliveriesV1WebhookDeliveriesGetStatusType0
from .list_exceptions_v1_recon_exceptions_get_side_type_0 import ListExceptionsV1ReconExceptionsGetSideType0
from .list_lines_v1_recon_lines_get_status_type_0 import ListLinesV1ReconLinesGetStatusType0
from .list_orders_v1_trade_data_orders_get_match_status_type_0 import ListOrdersV1TradeDataOrdersGetMatchStatusType0
from .list_payments_v1_payments_get_status_type_0 import ListPaymentsV1PaymentsGetStatusType0
from .list_proposals_v1_recon_proposals_get_status_type_0 import ListProposalsV1ReconProposalsGetStatusType0
from .list_receipts_v1_receipts_get_status_type_0 import ListReceiptsV1ReceiptsGetStatusType0
from .list_rejects_v1_trade_data_rejects_get_kind_type_0 import ListRejectsV1TradeDataRejectsGetKindType0
from .loan_out import LoanOut
from .loan_out_balances import LoanOutBalances
from .loan_out_decision_type_0 import LoanOutDecisionType0
from .loan_out_offer_type_0 import LoanOutOfferType0
from .login_in import LoginIn
from .lpr_in import LprIn
from .lpr_in_tenor import LprInTenor
from .manual_rate_in import ManualRateIn
from .margin_call_out import MarginCallOut
from .match_in import MatchIn
from .match_list import MatchList
from .matching_settings import MatchingSettings
from .models_statement_line_out import ModelsStatementLineOut
from .models_statement_line_out_side import ModelsStatementLineOutSide
from .negative_list_in import NegativeListIn
from .obligation_in import ObligationIn
from .obligation_out import ObligationOut
from .obligations_in import ObligationsIn
from .order_assets import OrderAssets
from .order_detail_out import OrderDetailOut
from .order_detail_out_match_status import OrderDetailOutMatchStatus
from .order_list import OrderList
from .order_out import OrderOut
from .order_out_match_status import OrderOutMatchStatus
from .order_record import OrderRecord
from .overdue_sweep_in import OverdueSweepIn
from .overdue_sweep_out import OverdueSweepOut
from .partner_bank_settlement_in import PartnerBankSettlementIn
from .partner_bank_settlement_in_reserve_account_ids_type_0 import PartnerBankSettlementInReserveAccountIdsType0
from .partner_flow_in import PartnerFlowIn
from .partner_flow_in_direction import PartnerFlowInDirection
from .payment_body import PaymentBody
from .payment_body_purpose import PaymentBodyPurpose
from .payment_record import PaymentRecord
from .payment_release_body import PaymentReleaseBody
from .payment_stat_out import PaymentStatOut
from .payment_stat_out_key import PaymentStatOutKey
from .payments_payment_out import PaymentsPaymentOut
from .payments_payment_out_status import PaymentsPaymentOutStatus
from .personal_data_out import PersonalDataOut
from .pledge_in import PledgeIn
from .pledge_out import PledgeOut
from .pledge_status_out import PledgeStatusOut
from .policy_in import PolicyIn
from .policy_in_buyer_limits import PolicyInBuyerLimits
from .policy_out import PolicyOut
from .policy_out_buyer_limits import PolicyOutBuyerLimits
from .portfolio_out import PortfolioOut
from .portfolio_out_data import PortfolioOutData
from .position_out import PositionOut
from .post_pending_in import PostPendingIn
from .post_pending_in_metadata import PostPendingInMetadata
from .posting_in import PostingIn
from .posting_in_side import PostingInSide
from .posting_out import PostingOut
from .posting_out_phase import PostingOutPhase
from .posting_out_side import PostingOutSide
from .problem import Problem
from .product_in import ProductIn
from .product_in_config import ProductInConfig
from .product_in_kind import ProductInKind
from .product_out import ProductOut
from .product_out_config import ProductOutConfig
from .proposal_in import ProposalIn
from .proposal_in_kind import ProposalInKind
from .proposal_list import ProposalList
from .proposal_out import ProposalOut
from .proposal_out_payload import ProposalOutPayload
from .push_orders_file_v1_trade_data_orders_file_post_files_body import PushOrdersFileV1TradeDataOrdersFilePostFilesBody
from .push_orders_file_v1_trade_data_orders_file_post_format_type_0 import (
    PushOrdersFileV1TradeDataOrdersFilePostFormatType0,
)
from .push_payments_file_v1_trade_data_payments_file_post_files_body import (
    PushPaymentsFileV1TradeDataPaymentsFilePostFilesBody,
)
from .push_payments_file_v1_trade_data_payments_file_post_format_type_0 import (
    PushPaymentsFileV1TradeDataPaymentsFilePostFormatType0,
)
from .push_refunds_file_v1_trade_data_refunds_file_post_files_body import (
    PushRefundsFileV1TradeDataRefundsFilePostFilesBody,
)
from .push_refunds_file_v1_trade_data_refunds_file_post_format_type_0 import (
    PushRefundsFileV1TradeDataRefundsFilePostFormatType0,
)
from .push_waybills_file_v1_trade_data_waybills_file_post_files_body import (
    PushWaybillsFileV1TradeDataWaybillsFilePostFilesBody,
)
from .push_waybills_file_v1_trade_data_waybills_file_post_format_type_0 import (
    PushWaybillsFileV1TradeDataWaybillsFilePostFormatType0,
)
from .put_config_v1_settlement_config_put_response_put_config_v1_settlement_config_put import (
    PutConfigV1SettlementConfigPutResponsePutConfigV1SettlementConfigPut,
)
from .quota_direction import QuotaDirection
from .quota_out import QuotaOut
from .quota_out_directions import QuotaOutDirections
from .rate_out import RateOut
from .rate_out_kind import RateOutKind
from .ready import Ready
from .receipt_body import ReceiptBody
from .receipt_body_customs_mode import ReceiptBodyCustomsMode
from .receipt_out import ReceiptOut
from .receipt_out_fees import ReceiptOutFees
from .receipt_out_status import ReceiptOutStatus
from .receivable_in import ReceivableIn
from .receivable_out import ReceivableOut
from .recon_account_in import ReconAccountIn
from .recon_account_list import ReconAccountList
from .recon_account_out import ReconAccountOut
from .recon_match_out import ReconMatchOut
from .recon_statement_line_out import ReconStatementLineOut
from .recon_statement_line_out_status import ReconStatementLineOutStatus
from .refresh_in import RefreshIn
from .refresh_out import RefreshOut
from .refresh_source_out import RefreshSourceOut
from .refresh_source_out_error_type_0 import RefreshSourceOutErrorType0
from .refund_out import RefundOut
from .refund_record import RefundRecord
from .refund_record_kind import RefundRecordKind
from .registration_in import RegistrationIn
from .reject_in import RejectIn
from .rejected_out import RejectedOut
from .release_body import ReleaseBody
from .repayment_in import RepaymentIn
from .report_column_out import ReportColumnOut
from .report_column_out_kind import ReportColumnOutKind
from .report_info_out import ReportInfoOut
from .report_out import ReportOut
from .report_out_params import ReportOutParams
from .report_out_rows_item import ReportOutRowsItem
from .report_out_totals_item import ReportOutTotalsItem
from .report_param_out import ReportParamOut
from .report_param_out_type import ReportParamOutType
from .reverse_in import ReverseIn
from .reverse_in_metadata import ReverseInMetadata
from .review_body import ReviewBody
from .rotate_in import RotateIn
from .run_in import RunIn
from .run_list import RunList
from .run_out import RunOut
from .run_out_matches_by_rule import RunOutMatchesByRule
from .run_v1_reports_name_get_by import RunV1ReportsNameGetBy
from .run_v1_reports_name_get_format_type_0 import RunV1ReportsNameGetFormatType0
from .set_lpr_v1_financing_lpr_post_response_set_lpr_v1_financing_lpr_post import (
    SetLprV1FinancingLprPostResponseSetLprV1FinancingLprPost,
)
from .settlement_config_body import SettlementConfigBody
from .settlement_config_body_overrides import SettlementConfigBodyOverrides
from .split_part import SplitPart
from .spread_in import SpreadIn
from .spread_out import SpreadOut
from .stat_out import StatOut
from .stat_out_key import StatOutKey
from .statement_line_list import StatementLineList
from .statement_list import StatementList
from .statement_out import StatementOut
from .statement_row_out import StatementRowOut
from .summary_out import SummaryOut
from .summary_out_accounts_item import SummaryOutAccountsItem
from .summary_out_daily_item import SummaryOutDailyItem
from .token_out import TokenOut
from .trade_records_in import TradeRecordsIn
from .trade_records_in_records_item import TradeRecordsInRecordsItem
from .trade_reject_list import TradeRejectList
from .trade_reject_out import TradeRejectOut
from .tradedata_match_out import TradedataMatchOut
from .tradedata_match_out_match import TradedataMatchOutMatch
from .tradedata_payment_out import TradedataPaymentOut
from .transaction_in import TransactionIn
from .transaction_in_metadata import TransactionInMetadata
from .transaction_list import TransactionList
from .transaction_out import TransactionOut
from .transaction_out_metadata import TransactionOutMetadata
from .trial_balance_line_out import TrialBalanceLineOut
from .trial_balance_out import TrialBalanceOut
from .trial_balance_total import TrialBalanceTotal
from .underwrite_in import UnderwriteIn
from .user_in import UserIn
from .user_in_role import UserInRole
from .user_out import UserOut
from .valuation_out import ValuationOut
from .verification_out import VerificationOut
from .verify_in import VerifyIn
from .void_in import VoidIn
from .void_in_metadata import VoidInMetadata
from .warehouse_receipt_in import WarehouseReceiptIn
from .warehouse_receipt_out import WarehouseReceiptOut
from .waybill_out import WaybillOut
from .waybill_record import WaybillRecord
from .who_am_i import WhoAmI
from .write_off_in import WriteOffIn

__all__ = (
    "AccountIn",
    "AccountInMetadata",
    "AccountInType",
    "AccountList",
    "AccountOut",
    "AccountOutMetadata",
    "AccrualIn",
    "AccrueV1FinancingAccrualsPostResponseAccrueV1FinancingAccrualsPost",
    "AdjustmentIn",
    "AdvanceDetailOut",
    "AdvanceDetailOutStatus",
    "AdvanceIn",
    "AdvanceInKind",
    "AdvanceListOut",
    "AdvanceOut",
    "AdvanceOutStatus",
    "AdvanceSettleIn",
    "AdvanceSettlementOut",
    "AdvanceSettlementOutSource",
    "AggregateBalanceOut",
    "AgingBucketOut",
    "AlertOut",
    "AlertOutDetails",
    "AlertsV1RiskAlertsGetStatusType0",
    "ApiKeyIn",
    "ApiKeyInRole",
    "ApiKeyIssued",
    "ApiKeyOut",
    "ApplicationIn",
    "AsOfIn",
    "AttemptOut",
    "AuditEntryOut",
    "AuditEntryOutAfterType0",
    "AuditEntryOutBeforeType0",
    "AuditList",
    "BalanceOut",
    "BatchIn",
    "BatchItemIn",
    "BatchItemInMetadata",
    "BatchOut",
    "BatchResultOut",
    "BatchResultOutStatus",
    "BuyerLimitIn",
    "BuyerLimitOut",
    "CheckpointOut",
    "ClaimIn",
    "ClaimOut",
    "ClaimPaymentIn",
    "ClaimPaymentOut",
    "ConversionBody",
    "ConversionBodyCustomsModeType0",
    "ConversionBodyDirection",
    "ConversionOut",
    "ConversionOutRate",
    "ConversionStatOut",
    "CsvMappingIn",
    "CsvMappingInMapping",
    "CsvMappingList",
    "CsvMappingOut",
    "CsvMappingOutMapping",
    "CurrencyIn",
    "CurrencyTotalOut",
    "CustomerAccountOut",
    "CustomerIn",
    "CustomerInFxClassType0",
    "CustomerInKind",
    "CustomerList",
    "CustomerOut",
    "CycleIn",
    "CycleOut",
    "CycleOutCentralAccounts",
    "CycleOutStatus",
    "CycleSummaryOut",
    "CycleSummaryOutStatus",
    "DecisionIn",
    "DecisionOut",
    "DecisionOutInputs",
    "DeliveryOut",
    "DeliveryOutStatus",
    "DisbursementIn",
    "DpdOut",
    "DueDiligenceIn",
    "EndpointCreated",
    "EndpointIn",
    "EndpointOut",
    "EndpointPatch",
    "EventOut",
    "EventOutPayload",
    "ExceptionList",
    "ExceptionOut",
    "ExceptionOutSide",
    "Fees",
    "FinanceReceivableIn",
    "FlaggedTotalOut",
    "FxClassIn",
    "FxClassInFxClass",
    "GetBankRateV1RatesBankGetSide",
    "GetConfigV1SettlementConfigGetResponseGetConfigV1SettlementConfigGet",
    "GoodsPriceIn",
    "GoodsPriceOut",
    "HaircutIn",
    "HaircutOut",
    "Health",
    "IdNumberSearchIn",
    "ImportedStatementOut",
    "ImportOut",
    "ImportStatementV1ReconStatementsFilePostFilesBody",
    "ImportStatementV1ReconStatementsFilePostFormatType0",
    "IngestReportOut",
    "IngestReportOutMatch",
    "InstructionOut",
    "InstructionOutDirection",
    "InsuredAdvanceOut",
    "LedgerIn",
    "LedgerOut",
    "LinePartOut",
    "ListAdvancesV1AdvancesGetStatus",
    "ListCustomersV1CustomersGetKindType0",
    "ListCyclesV1NettingCyclesGetKindType0",
    "ListCyclesV1NettingCyclesGetStatusType0",
    "ListDeliveriesV1WebhookDeliveriesGetStatusType0",
    "ListExceptionsV1ReconExceptionsGetSideType0",
    "ListLinesV1ReconLinesGetStatusType0",
    "ListOrdersV1TradeDataOrdersGetMatchStatusType0",
    "ListPaymentsV1PaymentsGetStatusType0",
    "ListProposalsV1ReconProposalsGetStatusType0",
    "ListReceiptsV1ReceiptsGetStatusType0",
    "ListRejectsV1TradeDataRejectsGetKindType0",
    "LoanOut",
    "LoanOutBalances",
    "LoanOutDecisionType0",
    "LoanOutOfferType0",
    "LoginIn",
    "LprIn",
    "LprInTenor",
    "ManualRateIn",
    "MarginCallOut",
    "MatchIn",
    "MatchingSettings",
    "MatchList",
    "ModelsStatementLineOut",
    "ModelsStatementLineOutSide",
    "NegativeListIn",
    "ObligationIn",
    "ObligationOut",
    "ObligationsIn",
    "OrderAssets",
    "OrderDetailOut",
    "OrderDetailOutMatchStatus",
    "OrderList",
    "OrderOut",
    "OrderOutMatchStatus",
    "OrderRecord",
    "OverdueSweepIn",
    "OverdueSweepOut",
    "PartnerBankSettlementIn",
    "PartnerBankSettlementInReserveAccountIdsType0",
    "PartnerFlowIn",
    "PartnerFlowInDirection",
    "PaymentBody",
    "PaymentBodyPurpose",
    "PaymentRecord",
    "PaymentReleaseBody",
    "PaymentsPaymentOut",
    "PaymentsPaymentOutStatus",
    "PaymentStatOut",
    "PaymentStatOutKey",
    "PersonalDataOut",
    "PledgeIn",
    "PledgeOut",
    "PledgeStatusOut",
    "PolicyIn",
    "PolicyInBuyerLimits",
    "PolicyOut",
    "PolicyOutBuyerLimits",
    "PortfolioOut",
    "PortfolioOutData",
    "PositionOut",
    "PostingIn",
    "PostingInSide",
    "PostingOut",
    "PostingOutPhase",
    "PostingOutSide",
    "PostPendingIn",
    "PostPendingInMetadata",
    "Problem",
    "ProductIn",
    "ProductInConfig",
    "ProductInKind",
    "ProductOut",
    "ProductOutConfig",
    "ProposalIn",
    "ProposalInKind",
    "ProposalList",
    "ProposalOut",
    "ProposalOutPayload",
    "PushOrdersFileV1TradeDataOrdersFilePostFilesBody",
    "PushOrdersFileV1TradeDataOrdersFilePostFormatType0",
    "PushPaymentsFileV1TradeDataPaymentsFilePostFilesBody",
    "PushPaymentsFileV1TradeDataPaymentsFilePostFormatType0",
    "PushRefundsFileV1TradeDataRefundsFilePostFilesBody",
    "PushRefundsFileV1TradeDataRefundsFilePostFormatType0",
    "PushWaybillsFileV1TradeDataWaybillsFilePostFilesBody",
    "PushWaybillsFileV1TradeDataWaybillsFilePostFormatType0",
    "PutConfigV1SettlementConfigPutResponsePutConfigV1SettlementConfigPut",
    "QuotaDirection",
    "QuotaOut",
    "QuotaOutDirections",
    "RateOut",
    "RateOutKind",
    "Ready",
    "ReceiptBody",
    "ReceiptBodyCustomsMode",
    "ReceiptOut",
    "ReceiptOutFees",
    "ReceiptOutStatus",
    "ReceivableIn",
    "ReceivableOut",
    "ReconAccountIn",
    "ReconAccountList",
    "ReconAccountOut",
    "ReconMatchOut",
    "ReconStatementLineOut",
    "ReconStatementLineOutStatus",
    "RefreshIn",
    "RefreshOut",
    "RefreshSourceOut",
    "RefreshSourceOutErrorType0",
    "RefundOut",
    "RefundRecord",
    "RefundRecordKind",
    "RegistrationIn",
    "RejectedOut",
    "RejectIn",
    "ReleaseBody",
    "RepaymentIn",
    "ReportColumnOut",
    "ReportColumnOutKind",
    "ReportInfoOut",
    "ReportOut",
    "ReportOutParams",
    "ReportOutRowsItem",
    "ReportOutTotalsItem",
    "ReportParamOut",
    "ReportParamOutType",
    "ReverseIn",
    "ReverseInMetadata",
    "ReviewBody",
    "RotateIn",
    "RunIn",
    "RunList",
    "RunOut",
    "RunOutMatchesByRule",
    "RunV1ReportsNameGetBy",
    "RunV1ReportsNameGetFormatType0",
    "SetLprV1FinancingLprPostResponseSetLprV1FinancingLprPost",
    "SettlementConfigBody",
    "SettlementConfigBodyOverrides",
    "SplitPart",
    "SpreadIn",
    "SpreadOut",
    "StatementLineList",
    "StatementList",
    "StatementOut",
    "StatementRowOut",
    "StatOut",
    "StatOutKey",
    "SummaryOut",
    "SummaryOutAccountsItem",
    "SummaryOutDailyItem",
    "TokenOut",
    "TradedataMatchOut",
    "TradedataMatchOutMatch",
    "TradedataPaymentOut",
    "TradeRecordsIn",
    "TradeRecordsInRecordsItem",
    "TradeRejectList",
    "TradeRejectOut",
    "TransactionIn",
    "TransactionInMetadata",
    "TransactionList",
    "TransactionOut",
    "TransactionOutMetadata",
    "TrialBalanceLineOut",
    "TrialBalanceOut",
    "TrialBalanceTotal",
    "UnderwriteIn",
    "UserIn",
    "UserInRole",
    "UserOut",
    "ValuationOut",
    "VerificationOut",
    "VerifyIn",
    "VoidIn",
    "VoidInMetadata",
    "WarehouseReceiptIn",
    "WarehouseReceiptOut",
    "WaybillOut",
    "WaybillRecord",
    "WhoAmI",
    "WriteOffIn",
)
