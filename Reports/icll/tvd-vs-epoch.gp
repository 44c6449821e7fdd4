# Drawn by the replicate harness; run `gnuplot tvd-vs-epoch.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Test TVD during training"
set xlabel "epoch"
set ylabel "TVD"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'tvd-vs-epoch.png'
plot 'tvd-vs-epoch.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "TF", \
     'tvd-vs-epoch.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "LSTM", \
     'tvd-vs-epoch.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "LSTM+NG", \
     0.38947700072428654 with lines dt 2 lc rgb 'gray40' title "in-context 3-gram (backoff)", \
     0.4093056049900527 with lines dt 2 lc rgb 'gray40' title "in-context 2-gram (backoff)"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'tvd-vs-epoch.svg'
plot 'tvd-vs-epoch.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "TF", \
     'tvd-vs-epoch.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "LSTM", \
     'tvd-vs-epoch.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "LSTM+NG", \
     0.38947700072428654 with lines dt 2 lc rgb 'gray40' title "in-context 3-gram (backoff)", \
     0.4093056049900527 with lines dt 2 lc rgb 'gray40' title "in-context 2-gram (backoff)"
unset output
