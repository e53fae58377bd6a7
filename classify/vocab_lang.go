package classify

// foreignVocab adds to the built-in areas everyday words of the
// languages citizens write in besides Swedish (and a few Swedish and
// English words of the same kind): Finnish, Polish, Persian, German,
// Arabic (with and without the article al-, which the compound rule does
// not strip) and Somali. compileAreas appends them to each area's
// vocabulary; the weights follow builtin.go (3: the word names the
// area's matter, 2: it usually does).
var foreignVocab = map[string]string{
	"gata": `ulica:2|ulicy:2|latarnia:3|chodnik:2.5|خیابان:2|Straße:2|Strasse:2|Straßenlaterne:3|Schnee:2|
		katu:2|kadulla:2|kadun:2|=tie:1.5|tiellä:2|=tien:1.5|lumi:2|lunta:2|lumen:2|liukas:2.5|liukasta:2.5|hiekoitus:3|
		kuoppa:2.5|kuoppia:2.5|pysäköinti:3|jalkakäytävä:3|katuvaloa:3|
		شارع:2|الشارع:2|مصباح:3|إنارة:3|الإنارة:3|الطريق:2|طريق:2|حفرة:2.5|حفر:2|الثلج:2.5|ثلج:2.5|موقف السيارات:3|رصيف:2.5|الرصيف:2.5|
		waddada:2|jidka:2|nalka waddada:3|barafka:2.5|baraf:2.5|baabuurta dhigashada:3`,
	"park": `پارک:2.5|plac zabaw:3|Spielplatz:3|
		keinu:2.5|keinut:2.5|puistossa:2.5|puiston:2.5|
		حديقة:2.5|الحديقة:2.5|أرجوحة:3|ملعب الأطفال:3|
		beerta:2|jardiinada:2.5`,
	"avfall": `återbruk:3|återbruket:3|återbruksbod:3|bytesbod:3|bytesrum:2.5|śmieci:3|odpady:3|زباله:3|Müll:3|Mülltonne:3|
		roskis:3|roskikset:3|roska-astia:3|jäteastia:3|tyhjennys:2|tyhjennetty:2|kierrätyskeskus:3|
		القمامة:3|قمامة:3|النفايات:3|نفايات:3|حاوية:2.5|الحاوية:2.5|إعادة التدوير:3|
		qashinka:3|qashin:3|qashinkii:3|dib u warshadaynta:3`,
	"va": `woda:2|wody:2|kanalizacja:3|=wasser:2|Abwasser:3|
		vesi:2.5|vettä:2.5|vesijohto:3|putki:2|viemäri:3|viemärin:3|juomavesi:3|katukaivo:2.5|katukaivosta:2.5|
		الماء:2.5|ماء:2.5|المياه:2.5|مياه:2.5|الصرف الصحي:3|أنبوب:2|الأنابيب:2|
		biyaha:2.5|biyo:2.5|bullaacadda:3|bullaacad:3|tuubada:2`,
	"forskola": `przedszkole:3|przedszkolu:3|مهدکودک:3|Kindergarten:3|Kita:3|
		päiväkoti:3|päiväkodin:3|päiväkotiin:3|päiväkodissa:3|päiväkotiryhmä:3|esikoulu:3|esikoulun:3|
		الروضة:3|روضة:3|الحضانة:3|حضانة:3|
		xanaanada:3|xanaano:3|dugsiga barbaarinta:3|barbaarinta:2.5`,
	"grundskola": `szkoła:3|szkole:3|szkoły:3|nauczyciel:2.5|nauczyciela:2.5|مدرسه:3|Schule:3|Lehrer:2.5|
		koulu:3|koulun:3|koulussa:3|kouluun:3|opettaja:2.5|opettajan:2.5|oppilas:2.5|oppilaat:2.5|luokka:2|
		المدرسة:3|مدرسة:3|المعلم:2.5|معلم:2.5|المعلمة:2.5|التلاميذ:2.5|الطلاب:2|
		dugsiga:2.5|iskuulka:3|iskuul:3|macallinka:2.5|macalinka:2.5|ardayda:2.5`,
	"hemtjanst": `opieka domowa:3|opiekunka:2.5|
		kotihoito:3|kotihoidon:3|kotihoitoa:3|kotipalvelu:3|kotipalvelun:3|
		الرعاية المنزلية:3|الرعاية:1.5|
		daryeelka guriga:3|daryeelka:1.5`,
	"aldreboende": `dom opieki:3|dom seniora:3|خانه سالمندان:3|Pflegeheim:3|Altenheim:3|
		vanhainkoti:3|hoivakoti:3|hoivakodissa:3|palvelutalo:3|palvelutalossa:3|
		دار المسنين:3|المسنين:2|مسنين:2|دار رعاية:3|
		waayeelka:2.5|guriga waayeelka:3`,
	"bibliotek": `biblioteka:3|bibliotece:3|bibliotekę:3|کتابخانه:3|Bibliothek:3|Bücherei:3|
		kirjasto:3|kirjaston:3|kirjastossa:3|kirjastoon:3|kirja:2|kirjoja:2|
		المكتبة:3|مكتبة:3|الكتب:2|كتب:2|
		maktabadda:3|maktabad:3|buugaagta:2`,
	"idrott": `basenie:2.5|استخر:3|Schwimmbad:3|Badestelle:3|Badeplatz:3|Rettungsschwimmer:3|
		uimahalli:3|uimahallin:3|uimahallissa:3|urheiluhalli:3|kuntosali:2.5|jäähalli:3|
		المسبح:3|مسبح:3|حمام السباحة:3|السباحة:2.5|صالة رياضية:3|
		barkadda dabaasha:3|barkadda:2.5|dabaasha:2.5|isboortiga:2.5`,
	"ifo": `pomoc społeczna:3|zasiłek:2.5|
		sosiaalitoimi:3|sosiaalitoimisto:3|toimeentulotuki:3|sosiaalityöntekijä:3|
		الخدمات الاجتماعية:3|المساعدة الاجتماعية:3|السوسيال:3|سوسيال:3|
		adeegga bulshada:3|sooshalka:3|sooshal:3`,
	"miljo": `foodtruck:3|food truck:3|livsmedelsverksamhet:3|hałas:2.5|Lärm:2.5|
		melu:2.5|melua:2.5|haju:2|hajua:2|
		الضوضاء:2.5|ضوضاء:2.5|رائحة:2|
		buuq:2.5|buuqa:2.5|=urka:2`,
	"bygglov": `rakennuslupa:3|rakennusluvan:3|
		رخصة بناء:3|رخصة البناء:3|
		ruqsadda dhismaha:3`,
	"kontaktcenter": `newsletter:2|municipal services:2.5|information in english:2.5|which department:2.5|vilken avdelning:2.5|vem ska jag vända mig till:2.5`,
}
