import logging

from chalicelib.api.http import MaskingFilter


def test_the_onewindow_logger_masks_id_and_phone_numbers(caplog):
    logger = logging.getLogger("onewindow.test-masking")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="onewindow.test-masking"):
        logger.info("applicant %s phone %s", "11010519491231002X", "13800138000")
    assert caplog.messages == ["applicant 1101**********002X phone 138****8000"]
